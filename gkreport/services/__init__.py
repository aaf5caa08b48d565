"""Services: what the command line, the filter and the magics call (checking files, audit, aggregate, fix, build)."""
