"""The challenge views: entrants, mentors (/challenges/review/) and managers (/manage/)."""
