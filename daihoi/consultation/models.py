"""Public consultation on the draft documents: drafts by section, comments, moderation and the
stored synthesis."""
