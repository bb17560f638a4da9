"""Use cases of the consultation: `drafts` (DOCX to sections, versions, publishing, news) and
`intake` (receiving a citizen's comment, durably, with captcha and rate limits)."""
