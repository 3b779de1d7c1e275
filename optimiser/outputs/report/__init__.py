"""The HTML report: figures as plain functions (:mod:`.figures`) and the page (:mod:`.page`)."""
