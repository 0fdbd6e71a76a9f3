"""The consultation use cases: accounts, intake, queue, thread, answers, review, publication, audit.

Every public function takes a `ServiceContext` (what the service runs on) and, where someone acts,
an `Actor`; it runs one transaction, checks permissions itself and raises `consult.errors` on refusal.
The web API and the pages are thin adapters over these functions.
"""
