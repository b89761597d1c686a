"""The operators' pages: today board, resource × time board, approvals, capacity and
rules, closures, tariffs, qualifications and booking on behalf of an enterprise."""
