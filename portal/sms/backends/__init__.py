"""SMS backends: one class `SmsBackend` per module, named in settings.SMS_BACKEND."""
