"""Moving records in and out of the database: exports (JSON, CSV, Markdown, TimelineJS) and
imports, with the selection of treaties they share with the list command and the UI."""
