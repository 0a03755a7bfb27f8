from django.db import models


class Greeting(models.Model):
    """One row per POST of the INSERT view."""

    text = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.text
