"""Demo activity in practice mode: colleagues played the shipped scenarios over the last
weeks, through the same services the practice screen uses, so their reports, the trainer's
review queue and the team's practice figures have something real to show. Lukas failed the
e-mail scenario once and passed it two days later; two older sessions are reviewed, with a
trainer's comment. Skipped for a scenario that is not in the content."""
from __future__ import annotations

import datetime as dt
import shlex

import sqlalchemy as sa
from sqlalchemy.orm import Session

from academy.accounts.models import Role, User
from academy.accounts.services import find_user_by_email
from academy.db import utcnow
from academy.domain_errors import DomainError
from academy.practice import review, services
from academy.practice.models import PracticeSession, Scenario

SECONDS_PER_LINE = 45

# (who, scenario, language, days ago, seed, script); a script line starting with "/" is an
# action: /open SLUG, /escalate, /hold, /record NATURE RESOLUTION ESCALATED, /end.
SESSIONS = (
    ("olivia.brooks@lumen.example", "refund-over-limit", "en", 16, 4, (
        "Good afternoon, Lumen Connect, you're speaking with Olivia.",
        "I'm really sorry about that, I can imagine how annoying it is to be charged twice.",
        "May I have your customer number, please?",
        "/open refunds",
        "Thank you, I can see the 189 euros taken twice on your October invoice.",
        "I can refund up to 150 euros myself, so a refund of 189 euros needs my supervisor's approval.",
        "I'm passing this to my supervisor straight away, and she'll call you back this afternoon.",
        "Is there anything else I can help you with today? Have a good evening.",
        "/record complaint escalated yes",
        "/end",
    )),
    ("olivia.brooks@lumen.example", "street-outage-phone", "en", 14, 2, (
        "Hello, Lumen Connect, Olivia speaking, how can I help?",
        "Oh no, that's really stressful with a deadline today.",
        "Can I have your customer number and date of birth, please?",
        "Do you know if your neighbours have the same problem?",
        "/open service-outages",
        "Let me check the outage map for your address first.",
        "I'm passing this to our tier 2 technical team as a possible new outage; they'll get back to you "
        "within 4 working hours.",
        "I can't promise a time for the fix yet, but if it lasts more than 24 hours you get a credit automatically.",
        "Anything else I can do for you? Good luck with the translation.",
        "/record request escalated yes",
        "/end",
    )),
    ("petr.dvorak@lumen.example", "router-restart-chat", "cs", 12, 3, (
        "Dobrý den, tady Petr z chatu Lumen.",
        "Co přesně se děje, když se zkusíte připojit?",
        "To je nepříjemné, rozumím. Nejdřív se podívám do mapy výpadků.",
        "Jakou barvou svítí kontrolka na routeru?",
        "/open router-setup",
        "Zkontrolujte prosím, jestli optický kabel pevně drží v routeru i v zásuvce ve zdi.",
        "Dobře. Teď router vypněte vypínačem vzadu, počkejte 10 sekund a zase ho zapněte; naběhne asi za 3 minuty.",
        "Výborně, jsem rád, že to jede. Můžu vám ještě s něčím pomoct?",
        "/record request resolved no",
        "/end",
    )),
    ("mart.kask@lumen.example", "data-deletion-chat", "et", 6, 5, (
        "Tere! Lumeni klienditugi, teid teenindab Mart.",
        "Saan aru, et see on teile tähtis. Palun öelge kõigepealt oma kliendinumber, sünnikuupäev ja "
        "paigaldusaadress.",
        "/open data-protection",
        "Aitäh. Andmete kustutamise taotlusi menetleb meie privaatsusmeeskond, kes vastab teile otse.",
        "Kehtiv leping ega tasumata arve ei takista taotluse edastamist, mida saab kustutada, otsustab "
        "privaatsusmeeskond. Edastan teie kustutamistaotluse koos kliendinumbri ja teie sõnastusega meie "
        "privaatsusmeeskonnale aadressile privacy@lumen.example.",
        "Kas saan teid veel millegagi aidata?",
        "/record request escalated yes",
        "/end",
    )),
    ("lukas.weber@lumen.example", "esim-not-working-email", "de", 4, 1, (
        "/open esim-activation",
        "Sehr geehrter Herr Vogel,\n\nvielen Dank für Ihre Nachricht. Ein QR-Code lässt sich leider nur einmal "
        "verwenden, deshalb funktioniert der alte Code auf dem neuen Handy nicht. Ich habe Ihnen soeben eine neue "
        "eSIM ausgestellt und schicke den QR-Code an Ihre Firmenadresse a.vogel@vogel-bau.example.\n\n"
        "Mit freundlichen Grüßen\nLukas Weber",
        "/record request resolved no",
        "/end",
    )),
    ("lukas.weber@lumen.example", "esim-not-working-email", "de", 2, 1, (
        "/open esim-activation",
        "/open identity-verification",
        "Sehr geehrter Herr Vogel,\n\nvielen Dank für Ihre Nachricht. Es tut mir leid, dass Ihr neues Handy noch "
        "nicht funktioniert.\n\nDer QR-Code aus dem März lässt sich leider nur einmal verwenden; für das neue "
        "Gerät bekommen Sie eine neue eSIM. Damit ich sie ausstellen darf, nennen Sie mir bitte Ihr "
        "Geburtsdatum und den Betrag Ihrer letzten Rechnung.\n\nDen neuen Code schicke ich aus "
        "Datenschutzgründen nur in die Lumen-App oder an Ihre bei uns hinterlegte E-Mail-Adresse, nicht an eine "
        "andere Adresse. Alternativ hilft Ihnen unser Store am Marienplatz.\n\nSo richten Sie die eSIM ein: "
        "Einstellungen → Mobilfunk → eSIM hinzufügen, den Code scannen, das Handy neu starten, einen Testanruf "
        "machen und die mobilen Daten ohne WLAN prüfen. Der APN lautet internet.lumen.\n\n"
        "Mit freundlichen Grüßen\nLukas Weber",
        "Sehr geehrter Herr Vogel,\n\ndanke für Ihre Angaben, Ihre Identität ist bestätigt. Ich habe die neue "
        "eSIM angefordert; der QR-Code liegt ab sofort in Ihrer Lumen-App.\n\nKann ich sonst noch etwas für Sie "
        "tun?\n\nMit freundlichen Grüßen\nLukas Weber",
        "/record request resolved no",
        "/end",
    )),
    ("ruta.kazlauskaite@lumen.example", "family-bundle-in-person", "lt", 3, 2, (
        "Laba diena, sveiki atvykę į Lumen saloną, mano vardas Rūta.",
        "Gal galite plačiau papasakoti, kas Jums atrodo per brangu?",
        "Kiek žmonių yra Jūsų šeimoje?",
        "Kokius mobiliojo ryšio planus dabar turite?",
        "Ar namuose turite Lumen internetą?",
        "/open family-bundle",
        "Apibendrinsiu: keturi šeimos nariai, visi turite atskirus planus, o vaikams pritrūksta duomenų.",
        "Jums tiktų naujasis Lumen Family paketas: viena pagrindinė sutartis ir iki keturių papildomų SIM "
        "kortelių, visi kartu dalijatės 100 GB duomenų. Kadangi turite Lumen Fibre, gautumėte 15 % nuolaidą.",
        "Tapatybei patvirtinti prašau nurodyti kliento numerį ir gimimo datą.",
        "Dabar įforminsiu užsakymą, pagrindinės sutarties turėtoja būsite Jūs.",
        "Ar galiu dar kuo nors padėti? Gražios dienos!",
        "/record request resolved no",
        "/end",
    )),
    ("nina.novakova@lumen.example", "refund-over-limit", "en", 1, 7, (
        "Good morning, Lumen customer care, Nina speaking.",
        "Please calm down, sir, I can't help you if you shout.",
        "Could you give me your customer number, please?",
        "/open refunds",
        "I'm only allowed to refund up to 150 euros myself, so your refund needs my supervisor's approval.",
        "I'm passing this to my supervisor now, and she will call you back today.",
        "Is there anything else I can help you with? Goodbye.",
        "/record complaint escalated yes",
        "/end",
    )),
)
# Reviewed sessions: (who, scenario, days ago) -> the trainer's comment on the whole session.
REVIEWED = {
    ("olivia.brooks@lumen.example", "refund-over-limit", 16):
        "Textbook hand-over: the limit explained before escalating, and a call-back time the customer can hold "
        "us to.",
    ("petr.dvorak@lumen.example", "router-restart-chat", 12):
        "Checked the outage map before any troubleshooting - exactly the order router-setup asks for.",
}


def load(session: Session) -> None:
    now = utcnow()
    trainer = session.scalar(sa.select(User).where(User.role == Role.TRAINER).order_by(User.id).limit(1))
    for email, key, lang, days_ago, seed, script in SESSIONS:
        user = find_user_by_email(session, email)
        scenario = session.scalar(sa.select(Scenario).where(Scenario.key == key, Scenario.lang == lang))
        if user is None or scenario is None:
            continue
        started = now - dt.timedelta(days=days_ago, hours=2)
        practice = _play(session, user, scenario, seed, script, started)
        comment = REVIEWED.get((email, key, days_ago))
        if comment and trainer is not None and practice.ended_at is not None:
            reviewed_at = practice.ended_at + dt.timedelta(hours=20)
            review.comment(session, practice, trainer, None, comment, now=reviewed_at)
            review.mark_reviewed(session, practice, trainer, now=reviewed_at)
    session.flush()


def _play(session: Session, user: User, scenario: Scenario, seed: int, script: tuple[str, ...],
          started: dt.datetime) -> PracticeSession:
    practice, _engine = services.start_session(session, user, scenario, seed=seed, now=started)
    for number, line in enumerate(script, start=1):
        at = started + dt.timedelta(seconds=number * SECONDS_PER_LINE)
        if practice.ended_at is not None:
            break
        try:
            if line.startswith("/"):
                name, *args = shlex.split(line[1:])
                services.act(session, practice, *_action(name, args), now=at)
            else:
                services.say(session, practice, line, now=at)
        except DomainError:
            break  # the customer has already gone; the rest of the script has no one to talk to
    if practice.ended_at is None:
        services.act(session, practice, "end", {}, now=started + dt.timedelta(seconds=(len(script) + 1) * SECONDS_PER_LINE))
    return practice


def _action(name: str, args: list[str]) -> tuple[str, dict]:
    if name == "open":
        return "open_article", {"slug": args[0]}
    if name == "record":
        return "record", {"nature": args[0], "resolution": args[1], "escalated": args[2]}
    return name, {}
