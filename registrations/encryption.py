"""The encryption of identifiers lives in portal.encryption, shared with the staff's second factor.

Kept under this name for the modules and migrations that import it from here.
"""

from portal.encryption import (  # noqa: F401
    EncryptedCharField,
    decrypt,
    encrypt,
    fernet,
    identifier_digest,
    mask,
)
