"""Use cases of the consultation: `drafts` (DOCX to sections, versions, publishing, news),
`intake` (receiving a citizen's comment, durably, with captcha and rate limits), `moderation`
(the queue, hide with a reason, bulk actions), `synthesis` (background jobs over the engine in
consultation/synthesis/, groups staff merge, split and annotate) and `reports` (the synthesis
report as a Party-format DOCX and an Excel workbook)."""
