"""help_requests in the staff workplace."""
