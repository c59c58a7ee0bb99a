"""Fair allocation's pages, by family: `lottery` (windows, applying, the published draw), `waiting` (waiting lists
and offers), `standing` (strikes, suspensions, appeals)."""
