"""The staff's second factor: a TOTP code from an authenticator app.

views.py: enrolment and verification; models.py: the device, whose secret is
encrypted at rest like national IDs (portal.encryption).
"""

DEVICE_NAME = "Authenticator app"
