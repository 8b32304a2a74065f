"""The platform as a cmi5 LMS (cmi5 "Quartz" sections 8-12): launching a package's AUs for a
learner, the fetch URL and AU tokens, the rules on AU traffic, and moveOn satisfaction.
"""
