"""The demo accounts' second factor: each is enrolled with a published TOTP secret (README.md lists
them, base32), so that a newcomer can add it to an authenticator app, or run `graduated totp EMAIL`
while DEBUG is on. These secrets open nothing but the demo: they are public by design."""

import base64

from django_otp.plugins.otp_totp.models import TOTPDevice

from graduated.accounts.models import User

DEMO_TOTP_SECRETS = {
    "senco.primary@example.org": "TKHYGEVI46F2EKTGP3S7UOEKDAOCKXGM",
    "teacher.primary@example.org": "BWKZYUURFCCAZXRFPQ5VHMFTVF355FUW",
    "ta.primary@example.org": "NKTVQ2MAZHNJ3PZQN7PUTB5IKTNZF4SC",
    "head.primary@example.org": "YHU4SGFJOQIR474BPE5JPTZUH4QUWXU6",
    "senco.secondary@example.org": "AWEM5VBQCUZUJVBZIFQYQ7ONP4YGI2MG",
    "senco.earlyyears@example.org": "SLZVA5KH4C4IKPVOTBI5F3JOYP2HZBAY",
    "senco.college@example.org": "TI6K5HSYQGJGT5KETX7B4NP73EXZI77F",
    "senco.south@example.org": "75QPBRZTQBDP5RFNMXBEIMTEXG2B477H",
    "officer.north@example.org": "LGEFFRTXTZO4L45SYULDQIYKCSW775UW",
    "admin.north@example.org": "GH4OR4SEMLVX6OCSWWU4SLUYD5I4IHB3",
    "officer.south@example.org": "PRS2BZZMKJICQJWHRGNWIJKNXLU42GOL",
    "platform.admin@example.org": "W7PMXBHM6UMFRWLPLFJXTLKN74KIUPXI",
    "ep.north@example.org": "777YNYEZRI2KYMVBMQBII3NBKKPRXCPG",
}


def load_demo_data() -> dict[str, int]:
    """Enrol every demo account that has no authenticator app yet (run again, it changes nothing)."""
    enrolled = 0
    for user in User.objects.filter(email__in=DEMO_TOTP_SECRETS):
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            continue
        key = base64.b32decode(DEMO_TOTP_SECRETS[user.email]).hex()
        TOTPDevice.objects.create(user=user, name="Authenticator app (demo)", key=key, confirmed=True)
        enrolled += 1
    return {"accounts enrolled with a demo authenticator secret": enrolled}
