"""Pages of the consultation: `public` (anyone, no sign-in: drafts, news, the comment form),
`drafts` (staff: drafts, versions, news), `moderation` and `synthesis` (staff)."""
