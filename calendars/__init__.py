"""Pure time and iCalendar layer of Parkbench.

Free/busy and slot arithmetic from opening hours, closures and busy intervals;
recurring series; iCalendar invites, feeds and imports; the mail transport for
invites. It knows no database tables, no HTTP and no gettext: callers pass
plain values and already-translated strings. Instants are timezone-aware and
handled in UTC; intervals are half-open [start, end).
"""
