"""Election screens (thin): set-up by the organising staff, blind double entry and counting by
the counting board. The work is done by daihoi.elections.services."""
