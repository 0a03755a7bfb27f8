from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """argon2id at the OWASP ASVS minimum: 2 passes, 19 MiB, one lane.

    Django's default (100 MiB, 8 lanes) costs several times more CPU and memory
    per sign-in; in a crisis, when thousands of citizens sign in at once, the
    hashing would cap the portal before the database does. The algorithm name
    is unchanged, so Django re-hashes older passwords at their next sign-in.
    """

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
