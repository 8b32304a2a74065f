"""cmi5 course packages: import a vendor's course structure (and its files) as a course."""
