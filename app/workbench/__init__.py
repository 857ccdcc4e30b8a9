"""The technicians' workbench: a phone-first page over the same use cases as the API."""
