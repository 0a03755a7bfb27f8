"""What every SMS backend offers."""


class BaseSmsBackend:
    # Whether the provider reports delivery (a receipt webhook): the broadcasts' receipt alarm needs it.
    has_receipts = False
    # Whether look_up can tell if a message was handed over (exactly-once recovery needs it).
    can_look_up = False

    def send(self, *, to, body, reference, status_callback=None):
        """Hand one message to the provider; return its message id. Raise portal.sms's errors only.

        `reference` is ours (a delivery id): backends that can look messages up use it.
        """
        raise NotImplementedError

    def look_up(self, *, reference, to, body, since):
        """The provider's id of a message we may have handed over at `since` or after, or None if it has none.

        Only for backends with can_look_up: a worker that died between handing a
        message over and recording it leaves that question, and the answer
        decides between recording it as sent and sending it.
        """
        raise NotImplementedError
