from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrustLevel(models.IntegerChoices):
    NEW = 0, _("neu")
    EMAIL_CONFIRMED = 1, _("E-Mail-Adresse bestätigt")
    IDENTIFIED = 2, _("identifiziert (eID, Servicekonto)")


class EmailUserManager(UserManager):
    """Users log in with their e-mail address; there is no user name."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    display_name = models.CharField(
        _("Anzeigename"),
        max_length=60,
        blank=True,
        help_text=_("Erscheint öffentlich statt Ihres Namens. Leer lassen für „anonym“."),
    )
    trust_level = models.PositiveSmallIntegerField(
        _("Vertrauensstufe"), choices=TrustLevel.choices, default=TrustLevel.NEW
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("Benutzer")
        verbose_name_plural = _("Benutzer")
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def public_name(self) -> str:
        """What other citizens may see: the chosen pseudonym, never the e-mail or legal name."""
        return self.display_name or str(_("anonym"))
