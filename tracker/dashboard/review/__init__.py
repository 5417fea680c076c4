"""The reviewer's queue and the due board (`review_queue`): thin panels over
`tracker.writes.quarter.review` and `tracker.writes.quarter.due_board`.
"""
