"""The conversation: decides what to say to a user, knowing nothing about LINE."""
