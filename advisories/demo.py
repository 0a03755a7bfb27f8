# ruff: noqa: RUF001 - the demo speaks Kazakh and Russian: Cyrillic letters are meant.
"""Demonstration advisories and missions, in Kazakh, Russian and English; called by `manage.py load_demo_data`.

Safe to run again: a country that already has editions, and a mission that
already exists (by its English name), are left as they are, except that
texts missing in a language are filled in. Every phone number, address,
email and website here is invented (example domains): never real embassy
data.

Every text is given as {"kk": …, "ru": …, "en": …}. One is left without its
Kazakh text on purpose (South Korea's summary), so that the demo shows what
readers see while a translation is coming.
"""

from datetime import timedelta

import pycountry
from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import (
    Advisory,
    AdvisoryEdition,
    EditionStatus,
    Mission,
    MissionJurisdiction,
    MissionKind,
    MissionPhone,
    OperatingStatus,
    PhoneKind,
    RegionalAdvisory,
)
from .multilingual import LANGUAGES, column


def _t(en, ru, kk=""):
    return {"en": en, "ru": ru, "kk": kk}


FIRST_EDITION = _t("First edition.", "Первая редакция.", "Алғашқы редакция.")
BORDER_UKRAINE = _t(
    "Do not travel to regions bordering Ukraine: shelling and drone attacks.",
    "Не совершайте поездок в регионы, граничащие с Украиной: обстрелы и атаки беспилотников.",
    "Украинамен шекаралас өңірлерге бармаңыз: атқылау мен дрон шабуылдары болып жатыр.",
)
DEEP_SOUTH = _t(
    "Reconsider travel to the deep south: insurgent violence.",
    "Воздержитесь от поездок на крайний юг страны: насилие со стороны повстанцев.",
    "Елдің қиыр оңтүстігіне сапарыңызды қайта қарастырыңыз: көтерілісшілердің зорлық-зомбылығы.",
)
SYRIAN_BORDER = _t(
    "Do not travel within 10 km of the Syrian border.",
    "Не приближайтесь к сирийской границе ближе чем на 10 км.",
    "Сирия шекарасынан 10 км-ге дейінгі аймаққа бармаңыз.",
)

# Per country: its editions, oldest first, as (days ago, level, change note; None for a minor update),
# then what the current edition says.
ADVISORIES = {
    "IR": {
        "history": [
            (400, 3, FIRST_EDITION),
            (120, 3, None),
            (
                9,
                4,
                _t(
                    "Raised to level 4: military strikes on several cities and airspace closures.",
                    "Повышен до уровня 4: военные удары по нескольким городам и закрытие воздушного пространства.",
                    "4-деңгейге көтерілді: бірнеше қалаға әскери соққылар және әуе кеңістігінің жабылуы.",
                ),
            ),
        ],
        "summary": _t(
            "Do not travel to Iran. If you are there, consider leaving by commercial means while they operate.",
            "Не совершайте поездок в Иран. Если вы находитесь там, рассмотрите возможность выезда коммерческим "
            "транспортом, пока он работает.",
            "Иранға бармаңыз. Егер сол жерде болсаңыз, коммерциялық көлік жұмыс істеп тұрғанда елден шығуды "
            "қарастырыңыз.",
        ),
        "risks": ["civil_unrest", "wrongful_detention", "kidnapping", "time_limited_event"],
        "regions": [
            (
                "IR-11",
                4,
                _t(
                    "Armed groups and kidnapping near the borders with Pakistan and Afghanistan.",
                    "Вооружённые группировки и похищения людей вблизи границ с Пакистаном и Афганистаном.",
                    "Пәкістан және Ауғанстан шекараларына жақын жерде қарулы топтар мен адам ұрлау қаупі бар.",
                ),
            ),
            (
                "IR-12",
                4,
                _t(
                    "Clashes near the border with Iraq.",
                    "Столкновения вблизи границы с Ираком.",
                    "Ирак шекарасы маңында қақтығыстар болып жатыр.",
                ),
            ),
        ],
        "safety_and_security": _t(
            "Airspace closures can come without warning. Keep your passport and a bag ready.\n\n"
            "Foreign nationals, dual nationals in particular, risk arbitrary detention.",
            "Воздушное пространство может быть закрыто без предупреждения. Держите паспорт и сумку наготове.\n\n"
            "Иностранные граждане, особенно лица с двойным гражданством, рискуют подвергнуться произвольному "
            "задержанию.",
            "Әуе кеңістігі ескертусіз жабылуы мүмкін. Төлқұжатыңыз бен сөмкеңізді дайын ұстаңыз.\n\n"
            "Шетел азаматтары, әсіресе қос азаматтығы барлар, негізсіз ұсталу қаупіне ұшырайды.",
        ),
        "entry_and_exit": _t(
            "Land borders with Azerbaijan, Armenia and Türkmenistan were open at the last check.",
            "На момент последней проверки сухопутные границы с Азербайджаном, Арменией и Туркменистаном были открыты.",
            "Соңғы тексеру кезінде Әзербайжан, Армения және Түрікменстанмен құрлық шекаралары ашық болды.",
        ),
        "getting_help": _t(
            "Call the 24/7 line of the embassy in Tehran. Register your stay so that we can reach you.",
            "Звоните на круглосуточную линию посольства в Тегеране. Зарегистрируйте своё пребывание, чтобы мы "
            "могли с вами связаться.",
            "Тегерандағы елшіліктің тәулік бойғы желісіне қоңырау шалыңыз. Сізбен байланыса алуымыз үшін "
            "болатын жеріңізді тіркеңіз.",
        ),
    },
    "IL": {
        "history": [
            (300, 2, FIRST_EDITION),
            (
                60,
                3,
                _t(
                    "Raised to level 3 after rocket fire on several cities.",
                    "Повышен до уровня 3 после ракетных обстрелов нескольких городов.",
                    "Бірнеше қаланың зымыранмен атқылануынан кейін 3-деңгейге көтерілді.",
                ),
            ),
        ],
        "summary": _t(
            "Reconsider travel to Israel. Rocket fire and air-raid sirens are frequent.",
            "Воздержитесь от поездок в Израиль. Часты ракетные обстрелы и сигналы воздушной тревоги.",
            "Израильге сапарыңызды қайта қарастырыңыз. Зымыран атқылауы мен әуе шабуылы дабылдары жиі болады.",
        ),
        "risks": ["terrorism", "civil_unrest", "time_limited_event"],
        "regions": [
            (
                "IL-D",
                4,
                _t(
                    "Do not travel to areas near the Gaza Strip.",
                    "Не совершайте поездок в районы вблизи сектора Газа.",
                    "Газа секторына жақын аудандарға бармаңыз.",
                ),
            ),
            (
                "IL-Z",
                4,
                _t(
                    "Do not travel to areas near the northern border with Lebanon.",
                    "Не совершайте поездок в районы вблизи северной границы с Ливаном.",
                    "Ливанмен солтүстік шекараға жақын аудандарға бармаңыз.",
                ),
            ),
        ],
        "safety_and_security": _t(
            "Learn where the nearest shelter is and follow the instructions of the local authorities.",
            "Узнайте, где находится ближайшее укрытие, и следуйте указаниям местных властей.",
            "Ең жақын баспана қайда екенін біліп алыңыз және жергілікті билік нұсқауларын орындаңыз.",
        ),
        "getting_help": _t(
            "The embassy in Tel Aviv offers limited services; emergencies are answered around the clock.",
            "Посольство в Тель-Авиве работает в ограниченном режиме; на экстренные обращения отвечают круглосуточно.",
            "Тель-Авивтегі елшілік шектеулі қызмет көрсетеді; шұғыл жағдайларда тәулік бойы жауап береді.",
        ),
    },
    "TR": {
        "history": [(500, 2, FIRST_EDITION), (30, 2, None)],
        "summary": _t(
            "Exercise increased caution in Türkiye because of terrorism.",
            "Соблюдайте повышенную осторожность в Турции из-за угрозы терроризма.",
            "Терроризм қаупіне байланысты Түркияда барынша сақ болыңыз.",
        ),
        "risks": ["terrorism", "natural_disaster"],
        "regions": [
            ("TR-31", 4, SYRIAN_BORDER),
            ("TR-79", 4, SYRIAN_BORDER),
            (
                "TR-63",
                3,
                _t(
                    "Reconsider travel near the Syrian border.",
                    "Воздержитесь от поездок в районы у сирийской границы.",
                    "Сирия шекарасына жақын аймақтарға сапарыңызды қайта қарастырыңыз.",
                ),
            ),
        ],
        "natural_disasters": _t(
            "Türkiye lies on active fault lines. Know what to do in an earthquake.",
            "Турция расположена на активных тектонических разломах. Знайте, как действовать при землетрясении.",
            "Түркия белсенді тектоникалық жарықтардың үстінде орналасқан. Жер сілкінісі кезінде не істеу "
            "керектігін біліп алыңыз.",
        ),
    },
    "AE": {
        "history": [(200, 1, FIRST_EDITION)],
        "summary": _t(
            "Exercise normal precautions in the United Arab Emirates.",
            "Соблюдайте обычные меры предосторожности в Объединённых Арабских Эмиратах.",
            "Біріккен Араб Әмірліктерінде әдеттегі сақтық шараларын сақтаңыз.",
        ),
        "risks": [],
        "local_laws": _t(
            "Penalties for drug offences are severe, including for residues and some prescription drugs.",
            "Наказания за преступления, связанные с наркотиками, очень суровы, в том числе за следовые количества "
            "и некоторые рецептурные препараты.",
            "Есірткіге қатысты құқықбұзушылықтар үшін жаза өте қатаң, соның ішінде қалдық іздері мен кейбір "
            "рецептілік дәрілер үшін де.",
        ),
    },
    "GE": {
        "history": [(365, 2, FIRST_EDITION)],
        "summary": _t(
            "Exercise increased caution in Georgia.",
            "Соблюдайте повышенную осторожность в Грузии.",
            "Грузияда барынша сақ болыңыз.",
        ),
        "risks": ["civil_unrest"],
        "regions": [
            (
                "GE-AB",
                4,
                _t(
                    "Do not travel to Abkhazia: we cannot help you there.",
                    "Не совершайте поездок в Абхазию: мы не сможем вам там помочь.",
                    "Абхазияға бармаңыз: біз сізге ол жерде көмектесе алмаймыз.",
                ),
            ),
            (
                "GE-SK",
                3,
                _t(
                    "Reconsider travel near the administrative boundary line of South Ossetia.",
                    "Воздержитесь от поездок вблизи административной разделительной линии Южной Осетии.",
                    "Оңтүстік Осетияның әкімшілік шекара сызығына жақын жерлерге сапарыңызды қайта қарастырыңыз.",
                ),
            ),
        ],
    },
    "DE": {
        "history": [(180, 1, FIRST_EDITION)],
        "summary": _t(
            "Exercise normal precautions in Germany.",
            "Соблюдайте обычные меры предосторожности в Германии.",
            "Германияда әдеттегі сақтық шараларын сақтаңыз.",
        ),
        "risks": [],
    },
    "US": {
        "history": [(180, 1, FIRST_EDITION)],
        "summary": _t(
            "Exercise normal precautions in the United States.",
            "Соблюдайте обычные меры предосторожности в США.",
            "АҚШ-та әдеттегі сақтық шараларын сақтаңыз.",
        ),
        "risks": ["natural_disaster"],
        "entry_and_exit": _t(
            "You need a visa or an ESTA travel authorisation before you board.",
            "Перед посадкой вам нужна виза или разрешение на поездку ESTA.",
            "Ұшаққа отырмас бұрын сізге виза немесе ESTA сапар рұқсаты қажет.",
        ),
    },
    "KR": {
        "history": [(180, 1, FIRST_EDITION)],
        # No Kazakh yet: the demo's example of a translation still to come.
        "summary": _t(
            "Exercise normal precautions in South Korea.",
            "Соблюдайте обычные меры предосторожности в Южной Корее.",
        ),
        "risks": [],
    },
    "CN": {
        "history": [(250, 2, FIRST_EDITION)],
        "summary": _t(
            "Exercise increased caution in China: laws are applied arbitrarily, exit bans are possible.",
            "Соблюдайте повышенную осторожность в Китае: законы применяются произвольно, возможны запреты на выезд.",
            "Қытайда барынша сақ болыңыз: заңдар еркін қолданылады, елден шығуға тыйым салынуы мүмкін.",
        ),
        "risks": ["wrongful_detention"],
    },
    "RU": {
        "history": [
            (700, 2, FIRST_EDITION),
            (
                330,
                3,
                _t(
                    "Raised to level 3 because of the armed conflict.",
                    "Повышен до уровня 3 из-за вооружённого конфликта.",
                    "Қарулы қақтығысқа байланысты 3-деңгейге көтерілді.",
                ),
            ),
        ],
        "summary": _t(
            "Reconsider travel to Russia.",
            "Воздержитесь от поездок в Россию.",
            "Ресейге сапарыңызды қайта қарастырыңыз.",
        ),
        "risks": ["civil_unrest", "wrongful_detention", "other"],
        "regions": [("RU-BEL", 4, BORDER_UKRAINE), ("RU-KRS", 4, BORDER_UKRAINE), ("RU-BRY", 4, BORDER_UKRAINE)],
    },
    "TH": {
        "history": [(400, 2, FIRST_EDITION)],
        "summary": _t(
            "Exercise increased caution in Thailand.",
            "Соблюдайте повышенную осторожность в Таиланде.",
            "Таиландта барынша сақ болыңыз.",
        ),
        "risks": ["terrorism", "crime"],
        "regions": [("TH-94", 3, DEEP_SOUTH), ("TH-95", 3, DEEP_SOUTH), ("TH-96", 3, DEEP_SOUTH)],
    },
    "EG": {
        "history": [
            (600, 3, FIRST_EDITION),
            (
                90,
                3,
                _t(
                    "Updated the section on entry requirements.",
                    "Обновлён раздел о правилах въезда.",
                    "Елге кіру талаптары туралы бөлім жаңартылды.",
                ),
            ),
        ],
        "summary": _t(
            "Reconsider travel to Egypt because of terrorism.",
            "Воздержитесь от поездок в Египет из-за угрозы терроризма.",
            "Терроризм қаупіне байланысты Мысырға сапарыңызды қайта қарастырыңыз.",
        ),
        "risks": ["terrorism"],
        "regions": [
            (
                "EG-SIN",
                4,
                _t(
                    "Do not travel to North Sinai: military operations and terrorism.",
                    "Не совершайте поездок в Северный Синай: военные операции и терроризм.",
                    "Солтүстік Синайға бармаңыз: әскери операциялар мен терроризм.",
                ),
            )
        ],
        "entry_and_exit": _t(
            "A visa is issued on arrival at the main airports. Your passport must be valid for six months.",
            "Визу выдают по прибытии в основных аэропортах. Паспорт должен быть действителен ещё шесть месяцев.",
            "Виза негізгі әуежайларда келген кезде беріледі. Төлқұжатыңыз тағы алты ай жарамды болуы тиіс.",
        ),
    },
    "AZ": {
        "history": [(300, 2, FIRST_EDITION)],
        "summary": _t(
            "Exercise increased caution in Azerbaijan near the border with Armenia.",
            "Соблюдайте повышенную осторожность в Азербайджане вблизи границы с Арменией.",
            "Әзербайжанда Армения шекарасына жақын жерде барынша сақ болыңыз.",
        ),
        "risks": ["other"],
        "entry_and_exit": _t(
            "Land crossings to Azerbaijan are among our evacuation routes from Iran. If you are in Iran, register "
            "your stay so that we can contact you and plan seats. Astara is the main crossing.",
            "Сухопутные переходы в Азербайджан входят в наши маршруты эвакуации из Ирана. Если вы находитесь в "
            "Иране, зарегистрируйте своё пребывание, чтобы мы могли связаться с вами и спланировать места. "
            "Основной пункт пропуска — Астара.",
            "Әзербайжанға өтетін құрлық өткелдері Ираннан эвакуациялау бағыттарымыздың қатарында. Егер Иранда "
            "болсаңыз, сізбен байланысып, орын жоспарлауымыз үшін болатын жеріңізді тіркеңіз. Негізгі өткел — "
            "Астара.",
        ),
    },
    "AM": {
        "history": [(300, 2, FIRST_EDITION)],
        "summary": _t(
            "Exercise increased caution in Armenia near the border with Azerbaijan.",
            "Соблюдайте повышенную осторожность в Армении вблизи границы с Азербайджаном.",
            "Арменияда Әзербайжан шекарасына жақын жерде барынша сақ болыңыз.",
        ),
        "risks": ["other"],
        "entry_and_exit": _t(
            "Land crossings to Armenia are among our evacuation routes from Iran. If you are in Iran, register "
            "your stay so that we can contact you and plan seats. Agarak is the crossing.",
            "Сухопутные переходы в Армению входят в наши маршруты эвакуации из Ирана. Если вы находитесь в Иране, "
            "зарегистрируйте своё пребывание, чтобы мы могли связаться с вами и спланировать места. Пункт "
            "пропуска — Агарак.",
            "Арменияға өтетін құрлық өткелдері Ираннан эвакуациялау бағыттарымыздың қатарында. Егер Иранда "
            "болсаңыз, сізбен байланысып, орын жоспарлауымыз үшін болатын жеріңізді тіркеңіз. Өткел — Агарак.",
        ),
    },
    "TM": {
        "history": [(300, 2, FIRST_EDITION)],
        "summary": _t(
            "Exercise increased caution in Turkmenistan: rules on entry change without notice.",
            "Соблюдайте повышенную осторожность в Туркменистане: правила въезда меняются без предупреждения.",
            "Түрікменстанда барынша сақ болыңыз: елге кіру ережелері ескертусіз өзгереді.",
        ),
        "risks": ["other"],
        "entry_and_exit": _t(
            "Land crossings to Turkmenistan are among our evacuation routes from Iran. If you are in Iran, "
            "register your stay so that we can contact you and plan seats. Sarahs is the crossing.",
            "Сухопутные переходы в Туркменистан входят в наши маршруты эвакуации из Ирана. Если вы находитесь в "
            "Иране, зарегистрируйте своё пребывание, чтобы мы могли связаться с вами и спланировать места. Пункт "
            "пропуска — Серахс.",
            "Түрікменстанға өтетін құрлық өткелдері Ираннан эвакуациялау бағыттарымыздың қатарында. Егер Иранда "
            "болсаңыз, сізбен байланысып, орын жоспарлауымыз үшін болатын жеріңізді тіркеңіз. Өткел — Сарахс.",
        ),
    },
}

# Türkiye is shared: the consulate general in Istanbul covers the Marmara provinces, the embassy
# in Ankara every other province (and the honorary consul in Antalya helps in Antalya).
ISTANBUL_PROVINCES = [
    "TR-34", "TR-41", "TR-16", "TR-59", "TR-22", "TR-39", "TR-77", "TR-54", "TR-11", "TR-10", "TR-17",
]  # fmt: skip
ANKARA_PROVINCES = sorted(
    {region.code for region in pycountry.subdivisions.get(country_code="TR")} - set(ISTANBUL_PROVINCES)
)

# name, city, kind, country, latitude, longitude, jurisdiction (ISO 3166-1 codes for whole countries,
# ISO 3166-2 codes for single regions), status, public note, phone area code
MISSIONS = [
    (_t("Embassy in Tehran", "Посольство в Тегеране", "Тегерандағы елшілік"), _t("Tehran", "Тегеран", "Тегеран"),
     MissionKind.EMBASSY, "IR", "35.69", "51.39", ["IR"], OperatingStatus.OPERATIONAL,
     _t("Open. The consular section handles emergencies and registers citizens for departure.",
        "Работает. Консульский отдел занимается экстренными случаями и регистрирует граждан на выезд.",
        "Жұмыс істейді. Консулдық бөлім шұғыл жағдайларды қарап, азаматтарды елден шығуға тіркейді."), "+98 21"),
    (_t("Embassy in Tel Aviv", "Посольство в Тель-Авиве", "Тель-Авивтегі елшілік"),
     _t("Tel Aviv", "Тель-Авив", "Тель-Авив"), MissionKind.EMBASSY, "IL", "32.08", "34.78", ["IL", "PS"],
     OperatingStatus.LIMITED,
     _t("Visa and notary services are suspended; emergencies are answered 24/7.",
        "Визовые и нотариальные услуги приостановлены; на экстренные обращения отвечают круглосуточно.",
        "Визалық және нотариаттық қызметтер тоқтатылды; шұғыл жағдайларға тәулік бойы жауап береді."), "+972 3"),
    (_t("Embassy in Ankara", "Посольство в Анкаре", "Анкарадағы елшілік"), _t("Ankara", "Анкара", "Анкара"),
     MissionKind.EMBASSY, "TR", "39.93", "32.86", ANKARA_PROVINCES, OperatingStatus.OPERATIONAL, None, "+90 312"),
    (_t("Consulate General in Istanbul", "Генеральное консульство в Стамбуле", "Ыстамбұлдағы бас консулдық"),
     _t("Istanbul", "Стамбул", "Ыстамбұл"), MissionKind.CONSULATE_GENERAL, "TR", "41.01", "28.98",
     ISTANBUL_PROVINCES, OperatingStatus.OPERATIONAL, None, "+90 212"),
    (_t("Honorary Consul in Antalya", "Почётный консул в Анталье", "Анталиядағы құрметті консул"),
     _t("Antalya", "Анталья", "Анталия"), MissionKind.HONORARY_CONSUL, "TR", "36.90", "30.70", ["TR-07"],
     OperatingStatus.OPERATIONAL,
     _t("Helps with lost documents and contacts with local authorities.",
        "Помогает при утрате документов и в контактах с местными властями.",
        "Құжаттар жоғалғанда және жергілікті билікпен байланыста көмектеседі."), "+90 242"),
    (_t("Embassy in Abu Dhabi", "Посольство в Абу-Даби", "Әбу-Дабидегі елшілік"),
     _t("Abu Dhabi", "Абу-Даби", "Әбу-Даби"), MissionKind.EMBASSY, "AE", "24.45", "54.38", ["AE", "OM"],
     OperatingStatus.OPERATIONAL, None, "+971 2"),
    (_t("Consulate General in Dubai", "Генеральное консульство в Дубае", "Дубайдағы бас консулдық"),
     _t("Dubai", "Дубай", "Дубай"), MissionKind.CONSULATE_GENERAL, "AE", "25.20", "55.27", ["AE"],
     OperatingStatus.OPERATIONAL, None, "+971 4"),
    (_t("Embassy in Tbilisi", "Посольство в Тбилиси", "Тбилисидегі елшілік"), _t("Tbilisi", "Тбилиси", "Тбилиси"),
     MissionKind.EMBASSY, "GE", "41.72", "44.79", ["GE"], OperatingStatus.OPERATIONAL, None, "+995 32"),
    (_t("Embassy in Berlin", "Посольство в Берлине", "Берлиндегі елшілік"), _t("Berlin", "Берлин", "Берлин"),
     MissionKind.EMBASSY, "DE", "52.52", "13.40", ["DE"], OperatingStatus.OPERATIONAL, None, "+49 30"),
    (_t("Embassy in Washington", "Посольство в Вашингтоне", "Вашингтондағы елшілік"),
     _t("Washington", "Вашингтон", "Вашингтон"), MissionKind.EMBASSY, "US", "38.91", "-77.04", ["US"],
     OperatingStatus.OPERATIONAL, None, "+1 202"),
    (_t("Embassy in Seoul", "Посольство в Сеуле", "Сеулдегі елшілік"), _t("Seoul", "Сеул", "Сеул"),
     MissionKind.EMBASSY, "KR", "37.57", "126.98", ["KR"], OperatingStatus.OPERATIONAL, None, "+82 2"),
    (_t("Embassy in Beijing", "Посольство в Пекине", "Бейжіңдегі елшілік"), _t("Beijing", "Пекин", "Бейжің"),
     MissionKind.EMBASSY, "CN", "39.90", "116.41", ["CN"], OperatingStatus.OPERATIONAL, None, "+86 10"),
    (_t("Embassy in Moscow", "Посольство в Москве", "Мәскеудегі елшілік"), _t("Moscow", "Москва", "Мәскеу"),
     MissionKind.EMBASSY, "RU", "55.76", "37.62", ["RU"], OperatingStatus.OPERATIONAL, None, "+7 495"),
    (_t("Consulate General in Saint Petersburg", "Генеральное консульство в Санкт-Петербурге",
        "Санкт-Петербургтегі бас консулдық"), _t("Saint Petersburg", "Санкт-Петербург", "Санкт-Петербург"),
     MissionKind.CONSULATE_GENERAL, "RU", "59.94", "30.31", ["RU"], OperatingStatus.OPERATIONAL, None, "+7 812"),
    (_t("Consulate in Novosibirsk", "Консульство в Новосибирске", "Новосібірдегі консулдық"),
     _t("Novosibirsk", "Новосибирск", "Новосібір"), MissionKind.CONSULATE, "RU", "55.01", "82.93", ["RU"],
     OperatingStatus.REMOTE,
     _t("Staff work remotely; call before you come.", "Сотрудники работают удалённо; позвоните перед визитом.",
        "Қызметкерлер қашықтан жұмыс істейді; келер алдында қоңырау шалыңыз."), "+7 383"),
    (_t("Embassy in Bangkok", "Посольство в Бангкоке", "Бангкоктегі елшілік"), _t("Bangkok", "Бангкок", "Бангкок"),
     MissionKind.EMBASSY, "TH", "13.76", "100.50", ["TH"], OperatingStatus.OPERATIONAL, None, "+66 2"),
    (_t("Embassy in Cairo", "Посольство в Каире", "Каирдегі елшілік"), _t("Cairo", "Каир", "Каир"),
     MissionKind.EMBASSY, "EG", "30.04", "31.24", ["EG", "SD"], OperatingStatus.OPERATIONAL,
     _t("Also serves Sudan, where our embassy is closed.", "Также обслуживает Судан, где наше посольство закрыто.",
        "Елшілігіміз жабық тұрған Суданға да қызмет көрсетеді."), "+20 2"),
    (_t("Embassy in Baku", "Посольство в Баку", "Бакудегі елшілік"), _t("Baku", "Баку", "Баку"),
     MissionKind.EMBASSY, "AZ", "40.41", "49.87", ["AZ"], OperatingStatus.OPERATIONAL,
     _t("Receives citizens leaving Iran through Astara; a duty officer meets every evacuation convoy.",
        "Принимает граждан, выезжающих из Ирана через Астару; дежурный сотрудник встречает каждую "
        "эвакуационную колонну.",
        "Астара арқылы Ираннан шығатын азаматтарды қабылдайды; кезекші қызметкер әрбір эвакуация колоннасын "
        "қарсы алады."), "+994 12"),
    (_t("Embassy in Yerevan", "Посольство в Ереване", "Еревандағы елшілік"), _t("Yerevan", "Ереван", "Ереван"),
     MissionKind.EMBASSY, "AM", "40.18", "44.51", ["AM"], OperatingStatus.OPERATIONAL, None, "+374 10"),
    (_t("Embassy in Ashgabat", "Посольство в Ашхабаде", "Ашхабадтағы елшілік"), _t("Ashgabat", "Ашхабад", "Ашхабад"),
     MissionKind.EMBASSY, "TM", "37.96", "58.33", ["TM"], OperatingStatus.OPERATIONAL, None, "+993 12"),
]  # fmt: skip

OPENING_HOURS = _t(
    "Monday to Friday, 9:00-13:00 and 14:30-18:00 (local time).\nClosed on public holidays.",
    "Понедельник — пятница, 9:00–13:00 и 14:30–18:00 (местное время).\nВ праздничные дни закрыто.",
    "Дүйсенбі – жұма, 9:00–13:00 және 14:30–18:00 (жергілікті уақыт).\nМереке күндері жабық.",
)
BY_APPOINTMENT = _t("By appointment.", "По предварительной записи.", "Алдын ала жазылу бойынша.")
SERVICES = _t(
    "Passports and emergency travel documents\nNotarial acts\nHelp in emergencies, arrest or detention",
    "Паспорта и свидетельства на возвращение\nНотариальные действия\n"
    "Помощь в чрезвычайных ситуациях, при аресте или задержании",
    "Төлқұжаттар мен елге оралу куәліктері\nНотариаттық әрекеттер\n"
    "Төтенше жағдайларда, қамауға алынғанда немесе ұсталғанда көмек",
)


def _address(city):
    """An invented address in each language: a number from the city's name, and the city."""
    number = len(city["en"]) * 3
    return _t(
        f"{number} Example Avenue\n{city['en']}",
        f"проспект Примерный, {number}\n{city['ru']}",
        f"Үлгі даңғылы, {number}\n{city['kk']}",
    )


def _columns(field, texts):
    """{summary_kk: …, summary_ru: …, summary_en: …} of a text given per language."""
    return {column(field, language): (texts or {}).get(language, "") for language in LANGUAGES}


def _first_sentence(texts):
    return {language: text.split(".")[0] + "." if text else "" for language, text in texts.items()}


def _staff(email):
    user, created = get_user_model().objects.get_or_create(
        email=email, defaults={"is_staff": True, "email_confirmed_at": timezone.now()}
    )
    if created:
        user.set_unusable_password()  # names on the demo history only; nobody signs in as them
        user.save(update_fields=["password"])
    return user


def _load_advisory(code, advice, *, author, publisher, now):
    advisory, _created = Advisory.objects.get_or_create(country=code)
    if advisory.editions.exists():
        return False
    history = advice["history"]
    edition = None
    for version, (days_ago, level, change_note) in enumerate(history, start=1):
        published_at = now - timedelta(days=days_ago)
        if edition is not None:
            edition.status, edition.archived_at = EditionStatus.ARCHIVED, published_at
            edition.save(update_fields=["status", "archived_at"])
        is_current = version == len(history)
        edition = AdvisoryEdition.objects.create(
            advisory=advisory,
            version=version,
            status=EditionStatus.PUBLISHED,
            level=level,
            risk_indicators=advice["risks"],
            **_columns("summary", advice["summary"] if is_current else _first_sentence(advice["summary"])),
            **{
                name: value
                for field in AdvisoryEdition.SECTION_FIELDS
                for name, value in _columns(field, advice.get(field)).items()
            },
            **_columns("change_note", change_note),
            is_major=change_note is not None,
            reviewed_at=published_at.date(),
            # One review is overdue, so that staff see what that looks like.
            next_review_due=published_at.date() + timedelta(days=60 if code == "CN" else 180),
            author=author,
            publisher=publisher,
            published_at=published_at,
        )
    RegionalAdvisory.objects.bulk_create(
        RegionalAdvisory(edition=edition, region=region, level=level, **_columns("reason", reason))
        for region, level, reason in advice.get("regions", [])
    )
    advisory.current_edition = edition
    advisory.save(update_fields=["current_edition"])
    return True


def _mission_texts(row):
    name, city, kind, _country, _lat, _lon, _jurisdiction, _status, note, _area = row
    return {
        **_columns("name", name),
        **_columns("city", city),
        **_columns("address", _address(city)),
        **_columns("opening_hours", OPENING_HOURS if kind != MissionKind.HONORARY_CONSUL else BY_APPOINTMENT),
        **_columns("services", SERVICES),
        **_columns("status_note", note),
    }


def _fill_missing_texts(mission, row):
    """A mission loaded by an earlier demo: add the texts it lacks in a language, change nothing else."""
    missing = {name: value for name, value in _mission_texts(row).items() if value and not getattr(mission, name)}
    if missing:
        Mission.objects.filter(pk=mission.pk).update(**missing)


def _load_mission(row, *, now):
    name, city, kind, country, latitude, longitude, jurisdiction, status, note, area = row
    existing = Mission.objects.filter(name_en=name["en"]).first()
    if existing is not None:
        _fill_missing_texts(existing, row)
        return False
    slug = city["en"].lower().replace(" ", "-")
    mission = Mission.objects.create(
        kind=kind,
        country=country,
        latitude=latitude,
        longitude=longitude,
        email=f"{slug}@mfa.example.gov.kz",
        website=f"https://mfa.example.gov.kz/missions/{slug}/",
        operating_status=status,
        status_changed_at=now - timedelta(days=7 if note else 200),
        **_mission_texts(row),
    )
    MissionJurisdiction.objects.bulk_create(
        MissionJurisdiction(mission=mission, country=code.split("-")[0], region=code if "-" in code else "")
        for code in jurisdiction
    )
    # Invented numbers: the area code of the city, then 555 01xx.
    MissionPhone.objects.bulk_create(
        [
            MissionPhone(mission=mission, kind=PhoneKind.MAIN, number=f"{area} 555 0100"),
            MissionPhone(mission=mission, kind=PhoneKind.EMERGENCY, number=f"{area} 555 0199"),
        ]
    )
    return True


def load(*, stdout):
    now = timezone.now()
    author = _staff("advisory.editor@example.gov.kz")
    publisher = _staff("advisory.publisher@example.gov.kz")
    advisories = sum(
        _load_advisory(code, advice, author=author, publisher=publisher, now=now) for code, advice in ADVISORIES.items()
    )
    missions = sum(_load_mission(row, now=now) for row in MISSIONS)
    stdout.write(f"Advisories: {advisories} new of {len(ADVISORIES)}; missions: {missions} new of {len(MISSIONS)}.")
