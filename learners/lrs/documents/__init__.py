"""The xAPI document resources (state, activity profile, agent profile) and canonical activities.

Writes in `services`, reads in `selectors`; `refs` names one document or a set of them,
`etags` holds the ETag and precondition rules of Communication 3.1.
"""
