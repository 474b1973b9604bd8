"""The adjuster queue: an API and server-rendered pages for adjusters, supervisors and auditors."""
