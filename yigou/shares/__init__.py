"""Reserved shares (预留份额) of budget units: floors, yearly filings, their review, and completion from the ledger."""
