"""Purchase ledger pages: entry, list, detail and reversal; outlets and activities."""
