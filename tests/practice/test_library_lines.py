"""The shipped move library on lines of the kinds it once misread (each case stands for an
error class found on a development set, not for the sentence itself)."""
from pathlib import Path

import pytest

from academy.practice import evaluation, scenario_files

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def library():
    _parsed, library, problems = scenario_files.read_all(ROOT)
    assert problems == []
    return library


CASES = [
    ("en", 'When the app crashes, the box says "Sorry, something went wrong".', set()),           # a quotation
    ("en", "The box shows 'Sorry, this channel is not in your package'.", set()),
    ("en", "Thank you for calling, goodbye.", {"close"}),                                          # leave-taking
    ("en", "Hello? Are you still there?", set()),
    ("en", "Sorry, which router model did you say it was?", {"ask_details"}),                     # "pardon?"
    ("en", "I'm not saying it's your fault at all.", set()),
    ("en", "Your customer number is printed at the top of every invoice.", set()),
    ("en", "Your complaint was resolved by our second-line team last week.", set()),
    ("cs", "Tak děkuji za zavolání a dobrý den.", {"close"}),
    ("cs", "Chyba je na lince mezi rozvaděčem a vaším domem.", set()),
    ("cs", "Rozumím, router tedy bliká červeně.", set()),
    ("de", "Die Auslastung im Netz beruhigt sich meist nach Mitternacht.", set()),
    ("de", "Ihrem Schreiben entnehme ich, dass die Gutschrift noch fehlt.", {"summarize"}),
    ("lt", "Nesakau, kad tai jūsų kaltė – šie maršrutizatoriai kartais taip elgiasi.", set()),
    ("et", "Saan teie murest aru.", {"empathize"}),
    ("et", "Võtan kokku: eSIM on paigaldatud, aga võrku ei ole.", {"summarize"}),
    # small talk is no move about the case, in questions too, unless the case is named
    ("en", "How long have you lived in Ostrava?", set()),
    ("en", "I can imagine how tired the marathon runners must be in this heat.", set()),
    ("en", "How long has the router been blinking like that?", {"ask_details"}),
    ("en", "Since when?", {"ask_details"}),                                                       # a follow-up
    ("cs", "Mrzí mě, že jsem nestihla koncert, lístky byly za hodinu pryč.", set()),
    ("cs", "Jak dlouho už bydlíte v Brně?", set()),
    ("de", "Seit wann spielen Sie eigentlich Tennis?", set()),
    ("de", "Tritt es nur bei Regen auf?", {"ask_details"}),                                     # weather as a cause
    ("lt", "Kaip dažnai lankotės sporto klube?", set()),
    ("et", "Kui kaua Te juba Tartus elate?", set()),
    # escalation words in another sense
    ("en", "The second line of your invoice shows the roaming charges.", set()),
    ("en", "The argument between the two fans escalated into a fight.", set()),
    ("en", "My colleague will call his mum after work.", set()),
    ("en", "I'll escalate this to our billing team right away.", {"escalate"}),
    ("cs", "Sparta postoupila do semifinále.", set()),
    ("cs", "Eskalace konfliktu na Blízkém východě mě děsí.", set()),
    ("cs", "Ve čtyři předávám směnu kolegyni.", set()),
    ("cs", "Reklamační oddělení se obvykle ozve do třiceti dnů.", set()),
    ("cs", "Předám to kolegům z reklamačního oddělení, ozvou se vám do dvou dnů.", {"escalate"}),
    ("cs", "Hádka mezi sousedy včera eskalovala.", set()),
    ("cs", "Musím to eskalovat, sama to nevyřeším.", {"escalate"}),
    # sending the customer something, a technician ringing ahead, the rule described
    ("cs", "Posílám vám reklamační formulář e-mailem.", set()),
    ("en", "I'll send you the complaints form by e-mail.", set()),
    ("en", "The technician will ring you about half an hour before he arrives.", set()),
    ("cs", "Půl hodiny předem vám zavolá technik.", set()),
    ("en", "Refunds over 150 EUR have to be escalated to a supervisor.", set()),
    ("cs", "Vratky nad 150 EUR je nutné eskalovat na vedoucího.", set()),
    ("cs", "Kolegyně z vedlejšího stolu chce eskalovat stížnost na klimatizaci.", set()),    # someone else's
    ("cs", "Budu to muset eskalovat na druhou úroveň.", {"escalate"}),                          # the agent's own
    ("cs", "Eskaluji to hned teď na fakturační tým.", {"escalate"}),
    ("de", "Der Streit zwischen den Nachbarn ist gestern eskaliert.", set()),
    ("de", "Der Techniker ruft Sie eine halbe Stunde vorher an.", set()),
    ("de", "Ich leite Ihr Anliegen an die Rechnungsabteilung weiter.", {"escalate"}),
    ("lt", "Siunčiu Jums skundo formą el. paštu.", set()),
    ("lt", "Jūsų skundą perduosiu pamainos vadovei, ji Jums paskambins dar šiandien.", {"escalate"}),
    ("et", "Sellised juhtumid edastatakse tavaliselt teise taseme tiimile.", set()),
    ("et", "Edastan Teie küsimuse arveldusosakonnale.", {"escalate"}),
    ("cs", "Předám vedoucí směny váš případ.", {"escalate"}),
    # blaming customers in general ("those who ... then always call us"), the sarcastic "another
    # one who ... and now wonders", and "you did it yourself, so don't complain"
    ("en", "Customers who switch the router off every night always end up calling us.", {"blame"}),
    ("en", "Customers who move house can keep their phone number.", set()),
    ("en", "Another customer who called this morning had the same outage in your street.", set()),
    ("cs", "Sama jste si ten tarif vybrala, tak si teď nestěžujte.", {"blame"}),
    ("de", "Toll, noch jemand, der die eSIM gelöscht hat und sich jetzt wundert.", {"blame"}),
    ("lt", "Tarifą pasirinkote jūs, tai ir turite, ką turite.", {"blame"}),
    ("et", "Kliendid, kes ise ruuteri seadeid muudavad, helistavad pärast alati meile.", {"blame"}),
    ("et", "Kliendid, kes kolivad, saavad oma numbri alles hoida.", set()),
    # discovery about the case's paperwork, money, people and times, and short follow-ups;
    # not offers, summaries or identity checks that mention the same things
    ("en", "Only in the evenings?", {"ask_details"}),
    ("en", "Which invoice is it on, the October or the November one?", {"ask_details"}),
    ("en", "Would you like me to book the technician for Thursday morning?", set()),
    ("en", "Did you have a nice weekend?", set()),                                              # no farewell
    ("cs", "Byl jste doma, když měl přijít technik?", {"ask_details"}),
    ("cs", "Když to shrnu, po telefonu vám slíbili dobropis a na nové faktuře není – souhlasí to?", {"summarize"}),
    ("de", "Wann haben Sie den Widerruf abgeschickt?", {"ask_details"}),
    ("de", "Soll ich Ihnen eine Rechnungskopie per Post schicken?", set()),
    ("de", "Wer ist der Vertragsinhaber, und wie lautet sein Geburtsdatum?", {"ask_identification"}),
    ("lt", "Ar tam tikru paros metu būna blogiau?", {"ask_details"}),
    ("et", "Kas valguskaabel on korralikult seinapesas?", {"ask_details"}),
    ("et", "Kas Te mängite mõnd pilli?", set()),                     # "pilli" is no typo of a case word
    # a recap put as a question checks what was said; a real question after it still asks
    ("en", "In other words, the Wi-Fi is fine in the morning but crawls every evening?", {"summarize"}),
    ("cs", "Takže Wi-Fi padá jen v patře – máte tam nějaký zesilovač signálu?", {"summarize", "ask_details"}),
    ("de", "Der Techniker war also da, hat die Dose repariert, und am nächsten Morgen hat der Router wieder "
           "rot geblinkt – war das so?", {"summarize"}),
    # a parting wish of a good afternoon greets nobody
    ("en", "Anything else I can do for you today? Have a good afternoon.", {"close"}),
    ("et", "Kas saan veel aidata? Head päeva!", {"close"}),
    # condescension, sarcasm and rhetorical blame; telling the customer to calm down in other words
    ("en", "With all due respect, the instructions are in the box for a reason.", {"blame"}),
    ("cs", "Zákazníci jako vy návod nikdy nečtou a pak volají nám.", {"blame"}),
    ("de", "Ich erkläre es Ihnen jetzt zum dritten Mal, langsamer kann ich es wirklich nicht sagen.", {"blame"}),
    ("lt", "Technikas laukė dvidešimt minučių, tad dėl praleisto vizito kalti jūs.", {"blame"}),
    ("et", "Kas olete ise WiFi seadetes midagi muutnud?", {"ask_details"}),                # asked, not alleged
    ("en", "Why on earth would you unplug the router while the light was orange?", {"blame"}),
    ("lt", "Nereikia šaukti, jus girdžiu puikiai.", {"calm_down"}),
    ("de", "Bitte sprechen Sie etwas leiser, sonst muss ich das Gespräch beenden.", {"calm_down"}),
    # empathy that names how hard the situation is without saying "I understand"
    ("cs", "Tři dny bez internetu, když pracujete z domova – to by naštvalo každého.", {"empathize"}),
    ("de", "Mit Ihrer Abgabefrist am Freitag muss das für Sie wirklich enormer Stress sein.", {"empathize"}),
    ("et", "Kolm päeva ilma internetita, kui töötate kodus – see ajaks igaühe närvi.", {"empathize"}),
    ("en", "No wonder you're fed up after three visits that never happened.", {"empathize"}),
    ("de", "Nur zur Bestätigung: Sie ziehen am 1. März um und möchten ab diesem Tag an der neuen Adresse "
           "Internet haben?", {"summarize"}),
    ("lt", "Šiandien lauke tikra liūtis, ar ne?", set()),                               # a tag is no recap
    # the agent's own hand-over in other forms; someone else's, in the past, is none
    ("en", "I've sent your moving request to our installations team – they'll be in touch within three "
           "working days.", {"escalate"}),
    ("en", "My colleague forwarded your complaint to the complaints team back in June.", set()),
    ("de", "Ich bitte meine Kollegin aus dem Datenschutzteam, sich bis morgen Abend bei Ihnen zu melden.",
     {"escalate"}),
    ("cs", "Přizvu do hovoru vedoucí směny – výjimku ze smlouvy může posoudit jen ona.", {"escalate"}),
    ("lt", "Technikas paskambins likus pusvalandžiui iki atvykimo.", set()),
    ("et", "Kaasan kõnesse oma vahetusejuhi – lepingu erandit saab hinnata ainult tema.", {"escalate"}),
]


@pytest.mark.parametrize(("lang", "text", "moves"), CASES, ids=[f"{lang}-{i}" for i, (lang, _t, _m) in enumerate(CASES)])
def test_the_library_reads_the_line(library, lang, text, moves):
    matcher = evaluation.library_matcher(library, lang)
    assert {m.move for m in matcher.match(text)} == moves
