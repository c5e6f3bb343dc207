"""The names of the months and the days of the week in the languages newsrooms write in, for
reading a date written out in the site's language (`11. Dezember 2026`, `11 de diciembre de
2026`, `11 ديسمبر 2026`), and for telling which day a date written in another language is.

From glibc's locale data (LC_TIME: mon, alt_mon, abmon, ab_alt_mon, day), folded as
`look_alike_key` folds: each language's months January to December, then its days Monday to
Sunday, `|` between them, `,` between one's names (the form a date takes, the name alone, the
abbreviation), less those English spells the same (April, `dez` and `mär` kept). Arabic adds
the Levant's months (كانون الثاني) and the Maghreb's (جانفي) to Egypt's; Arabic, Persian and
Hebrew take no abbreviation, which there cuts a name to a word of its own (سبت, Saturday).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from functools import cache

from .characters import look_alike_key

ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                  "November", "December")
ENGLISH_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_NAMES = {
    "de": "januar,jänner,jän|februar,feber|märz,mär||mai|juni|juli|||oktober,okt||dezember,dez|montag|dienstag|mittwoch|"
          "donnerstag|freitag|samstag|sonntag",
    "fr": "janvier,janv|février,févr|mars|avril|mai|juin|juillet,juil|août|septembre,sept|octobre|novembre|"
          "décembre,déc|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche",
    "es": "enero,ene|febrero|marzo|abril,abr|mayo|junio|julio|agosto,ago|septiembre|octubre|noviembre|"
          "diciembre,dic|lunes|martes|miércoles|jueves|viernes|sábado|domingo",
    "it": "gennaio,gen|febbraio|marzo|aprile|maggio,mag|giugno,giu|luglio,lug|agosto,ago|settembre,set|ottobre,ott|"
          "novembre|dicembre,dic|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica",
    "pt": "janeiro|fevereiro,fev|março|abril,abr|maio,mai|junho|julho|agosto,ago|setembro,set|outubro,out|novembro|"
          "dezembro,dez|segunda-feira,segunda|terça-feira,terça|quarta-feira,quarta|quinta-feira,quinta|"
          "sexta-feira,sexta|sábado|domingo",
    "nl": "januari|februari|maart,mrt||mei|juni|juli|augustus||oktober,okt|||maandag|dinsdag|woensdag|donderdag|"
          "vrijdag|zaterdag|zondag",
    "ca": "de gener,gener,de gen,gen|de febrer,febrer,de febr,febr|de març,març|d’abril,abril,d’abr,abr|"
          "de maig,maig|de juny,juny|de juliol,juliol,de jul|d’agost,agost,d’ag|de setembre,setembre,de set,set|"
          "d’octubre,octubre,d’oct|de novembre,novembre,de nov|de desembre,desembre,de des,des|dilluns|dimarts|"
          "dimecres|dijous|divendres|dissabte|diumenge",
    "gl": "xaneiro,xan|febreiro|marzo|abril,abr|maio,mai|xuño,xuñ|xullo,xul|agosto,ago|setembro,set|outubro,out|"
          "novembro|decembro|luns|martes|mércores|xoves|venres|sábado|domingo",
    "pl": "stycznia,styczeń,sty|lutego,luty,lut|marca,marzec|kwietnia,kwiecień,kwi|maja,maj|czerwca,czerwiec,cze|"
          "lipca,lipiec,lip|sierpnia,sierpień,sie|września,wrzesień,wrz|października,październik,paź|"
          "listopada,listopad,lis|grudnia,grudzień,gru|poniedziałek|wtorek|środa|czwartek|piątek|sobota|niedziela",
    "cs": "ledna,leden,led|února,únor,úno|března,březen,bře|dubna,duben,dub|května,květen,kvě|června,červen,čen|"
          "července,červenec,čec|srpna,srpen,srp|září,zář|října,říjen,říj|listopadu,listopad,lis|"
          "prosince,prosinec,pro|pondělí|úterý|středa|čtvrtek|pátek|sobota|neděle",
    "sk": "januára,január|februára,február|marca,marec|apríla,apríl|mája,máj|júna,jún|júla,júl|augusta|septembra|"
          "októbra,október,okt|novembra|decembra|pondelok|utorok|streda|štvrtok|piatok|sobota|nedeľa",
    "hr": "siječnja,siječanj,sij|veljače,veljača,velj|ožujka,ožujak,ožu|travnja,travanj,tra|svibnja,svibanj,svi|"
          "lipnja,lipanj,lip|srpnja,srpanj,srp|kolovoza,kolovoz,kol|rujna,rujan,ruj|listopada,listopad,lis|"
          "studenoga,studeni,stu|prosinca,prosinac,pro|ponedjeljak|utorak|srijeda|četvrtak|petak|subota|nedjelja",
    "sl": "januarja,januar|februarja,februar|marca,marec|aprila|maja,maj|junija,junij|julija,julij|"
          "avgusta,avgust,avg|septembra|oktobra,oktober,okt|novembra|decembra|ponedeljek|torek|sreda|četrtek|petek|"
          "sobota|nedelja",
    "sr": "јануар,јан,januar|фебруар,феб,februar|март,мар,mart|април,апр|мај,maj|јун|јул|август,авг,avgust,avg|"
          "септембар,сеп,septembar|октобар,окт,oktobar,okt|новембар,нов,novembar|децембар,дец,decembar|"
          "понедељак,ponedeljak|уторак,utorak|среда,sreda|четвртак,četvrtak|петак,petak|субота,subota|недеља,nedelja",
    "bs": "januar|februar|mart||maj|juni|juli||septembar|oktobar,okt|novembar|decembar|ponedjeljak|utorak|srijeda|"
          "četvrtak|petak|subota|nedjelja",
    "sv": "januari|februari|mars||maj|juni|juli|augusti||oktober,okt|||måndag|tisdag|onsdag|torsdag|fredag|lördag|"
          "söndag",
    "da": "januar|februar|marts||maj|juni|juli|||oktober,okt|||mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag",
    "nb": "januar|februar|mars||mai|juni|juli|||oktober,okt||desember,des|mandag|tirsdag|onsdag|torsdag|fredag|"
          "lørdag|søndag",
    "nn": "januar|februar|mars||mai|juni|juli|||oktober,okt||desember,des|måndag|tysdag|onsdag|torsdag|fredag|"
          "laurdag|søndag,sundag",
    "fi": "tammikuuta,tammikuu,tammi|helmikuuta,helmikuu,helmi|maaliskuuta,maaliskuu,maalis|"
          "huhtikuuta,huhtikuu,huhti|toukokuuta,toukokuu,touko|kesäkuuta,kesäkuu,kesä|heinäkuuta,heinäkuu,heinä|"
          "elokuuta,elokuu,elo|syyskuuta,syyskuu,syys|lokakuuta,lokakuu,loka|marraskuuta,marraskuu,marras|"
          "joulukuuta,joulukuu,joulu|maanantaina,maanantai|tiistaina,tiistai|keskiviikkona,keskiviikko|"
          "torstaina,torstai|perjantaina,perjantai|lauantaina,lauantai|sunnuntaina,sunnuntai",
    "et": "jaanuar,jaan |veebruar,veebr|märts|aprill,apr  |mai,mai  |juuni|juuli|aug  |sept |oktoober,okt  |nov  |"
          "detsember,dets |esmaspäev|teisipäev|kolmapäev|neljapäev|reede|laupäev|pühapäev",
    "lv": "janvārī,janvāris|februārī,februāris|martā,marts|aprīlī,aprīlis|maijā,maijs,mai|jūnijā,jūnijs,jūn|"
          "jūlijā,jūlijs,jūl|augustā,augusts|septembrī,septembris|oktobrī,oktobris,okt|novembrī,novembris|"
          "decembrī,decembris|pirmdiena|otrdiena|trešdiena|ceturtdiena|piektdiena|sestdiena|svētdiena",
    "lt": "sausio,sausis,saus|vasario,vasaris,vas|kovo,kovas,kov|balandžio,balandis,bal|gegužės,gegužė,geg|"
          "birželio,birželis,birž|liepos,liepa,liep|rugpjūčio,rugpjūtis,rugp|rugsėjo,rugsėjis,rugs|"
          "spalio,spalis,spal|lapkričio,lapkritis,lapkr|gruodžio,gruodis,gruod|pirmadienis|antradienis|"
          "trečiadienis|ketvirtadienis|penktadienis|šeštadienis|sekmadienis",
    "hu": "január|február,febr|március,márc|április,ápr|május,máj|június,jún|július,júl|augusztus|szeptember,szept|"
          "október,okt|||hétfő|kedd|szerda|csütörtök|péntek|szombat|vasárnap",
    "ro": "ianuarie,ian|februarie|martie|aprilie|mai|iunie,iun|iulie,iul||septembrie|octombrie|noiembrie|decembrie|"
          "luni|marți|miercuri|joi|vineri|sâmbătă|duminică",
    "tr": "ocak,oca|şubat,şub|mart|nisan,nis|mayıs|haziran,haz|temmuz,tem|ağustos,ağu|eylül,eyl|ekim,eki|kasım,kas|"
          "aralık,ara|pazartesi|salı|çarşamba|perşembe|cuma|cumartesi|pazar",
    "id": "januari|februari|maret||mei|juni|juli|agustus,agu||oktober,okt||desember,des|senin|selasa|rabu|kamis|"
          "jumat|sabtu|minggu",
    "ms": "januari|februari|mac||mei||julai|ogos||oktober,okt||disember,dis|isnin|selasa|rabu|khamis|jumaat|sabtu|"
          "ahad",
    "ru": "января,январь,янв|февраля,февраль,фев|марта,март,мар|апреля,апрель,апр|мая,май|июня,июнь,июн|"
          "июля,июль,июл|августа,август,авг|сентября,сентябрь,сен|октября,октябрь,окт|ноября,ноябрь,ноя|"
          "декабря,декабрь,дек|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье",
    "uk": "січня,січень,січ|лютого,лютий,лют|березня,березень,бер|квітня,квітень,кві|травня,травень,тра|"
          "червня,червень,чер|липня,липень,лип|серпня,серпень,сер|вересня,вересень,вер|жовтня,жовтень,жов|"
          "листопада,листопад,лис|грудня,грудень,гру|понеділок|вівторок|середа|четвер|п'ятниця,пʼятниця|субота|неділя",
    "bg": "януари,яну|февруари,фев|март,мар|април,апр|май|юни|юли|август,авг|септември,сеп|октомври,окт|"
          "ноември,ное|декември,дек|понеделник|вторник|сряда|четвъртък|петък|събота|неделя",
    "el": "ιανουαρίου,ιανουάριοσ,ιαν|φεβρουαρίου,φεβρουάριοσ,φεβ|μαρτίου,μάρτιοσ,μαρ,μάρ|απριλίου,απρίλιοσ,απρ|"
          "μαΐου,μάιοσ,μαΐ,μάι|ιουνίου,ιούνιοσ,ιουν,ιούν|ιουλίου,ιούλιοσ,ιουλ,ιούλ|αυγούστου,αύγουστοσ,αυγ,αύγ|"
          "σεπτεμβρίου,σεπτέμβριοσ,σεπ|οκτωβρίου,οκτώβριοσ,οκτ|νοεμβρίου,νοέμβριοσ,νοε,νοέ|"
          "δεκεμβρίου,δεκέμβριοσ,δεκ|δευτέρα|τρίτη|τετάρτη|πέμπτη|παρασκευή|σάββατο|κυριακή",
    "ar": "يناير,كانون الثاني,جانفي|فبراير,شباط,فيفري|مارس,آذار|أبريل,نيسان,أفريل|مايو,أيار,ماي|يونيو,حزيران,جوان|"
          "يوليو,تموز,جويلية,يوليوز|أغسطس,آب,أوت,غشت|سبتمبر,أيلول,شتنبر|أكتوبر,تشرين الأول|"
          "نوفمبر,تشرين الثاني,نونبر|ديسمبر,كانون الأول,دجنبر|الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|الأحد",
    "fa": "ژانویه|فوریه|مارس|آوریل|مه|ژوئن|ژوئیه|اوت|سپتامبر|اكتبر|نوامبر|دسامبر|دوشنبه|سه‌شنبه|چهارشنبه|پنجشنبه|"
          "جمعه|شنبه|یکشنبه",
    "he": "ינואר|פברואר|מרץ|אפריל|מאי|יוני|יולי|אוגוסט|ספטמבר|אוקטובר|נובמבר|דצמבר|שני|שלישי|רביעי|חמישי|שישי|שבת|"
          "ראשון",
    "sq": "janar|shkurt,shk|mars|prill,pri|maj|qershor,qer|korrik,kor|gusht,gsh|shtator,sht|tetor,tet|nëntor,nën|"
          "dhjetor,dhj|e hënë|e martë|e mërkurë|e enjte|e premte|e shtunë|e diel",
    "is": "janúar|febrúar|mars|apríl|maí|júní,jún|júlí,júl|ágúst,ágú||október,okt|nóvember,nóv|desember,des|"
          "mánudagur|þriðjudagur|miðvikudagur|fimmtudagur|föstudagur|laugardagur|sunnudagur",
    "mk": "јануари,јан|февруари,фев|март,мар|април,апр|мај|јуни,јун|јули,јул|август,авг|септември,сеп|октомври,окт|"
          "ноември,ное|декември,дек|понеделник|вторник|среда|четврток|петок|сабота|недела",
}
LANGUAGES = frozenset(_NAMES)  # those whose names a date may use besides English's
# The words a date written out in a language puts between its parts, which dateutil takes for
# no part of a date: `11 de diciembre de 2026`, `le 11 décembre 2026 à 09:30`, `11. Dezember
# 2026 um 09:30 Uhr`, `11 декабря 2026 г.` (год, the year), `11 grudnia 2026 r.` (roku), and
# Hebrew's `יום` (day) before a weekday's name (`יום שישי`, Friday), Latvian's `gada` (of the
# year: `2026. gada 11. decembrī`).
_CONNECTORS = {"es": "de,del,a las", "pt": "de,às,as", "gl": "de,ás", "ca": "de,del,a les", "fr": "le,à", "de": "um,uhr",
               "it": "alle,ore", "nl": "om", "ru": "г", "uk": "р", "bg": "г", "pl": "r", "ar": "الساعة", "tr": "saat",
               "he": "יום", "lv": "gada"}


def month_named(word: str, languages: Collection[str]) -> str | None:
    """The English name of the month `word` names, in English (in full or cut to three
    letters, or `sept`) or in one of `languages`; None if it names none."""
    folded = look_alike_key(word)
    english = _ENGLISH_MONTH_NAMES.get(folded)
    if english is not None:
        return english
    return next((named for language in languages if (named := names_in(language).get(folded)) in ENGLISH_MONTHS),
                None)


_ENGLISH_MONTH_NAMES = {**{month.casefold()[:3]: month for month in ENGLISH_MONTHS},
                        **{month.casefold(): month for month in ENGLISH_MONTHS}, "sept": "September"}


def names_language(language: str) -> str:
    """The language whose names a date in `language` (a tag) may use besides English: `de` for
    `de-AT`; '' for English, which dateutil reads, or a language not listed (ja, zh). Entries
    read under the same are read alike: a site turned from en to ja reads none again."""
    subtag = language.lower().partition("-")[0]
    return subtag if subtag in _NAMES else ""


@cache
def names_in(language: str) -> dict[str, str]:
    """Each folded name of a month or day in `language` (a tag) to its English name."""
    groups = _NAMES.get(names_language(language), "").split("|")
    return {look_alike_key(name): english for english, group in zip(ENGLISH_MONTHS + ENGLISH_DAYS, groups)
            for name in group.split(",") if name}


@cache
def languages_naming(word: str) -> dict[str, str]:
    """Each language that has the folded `word` for a month or a day, to its English name:
    `listopad` is November in Polish and October in Croatian."""
    return {language: names_in(language)[word] for language in _NAMES if word in names_in(language)}


def in_english(text: str, language: str) -> str:
    """`text` with the names of months and days in `language` as English ones, and the words
    between a date's parts dropped, for dateutil, which reads English only: `11. Dezember 2026
    um 09:30` is `11. December 2026 09:30` on a site in German. Text naming none is as it was."""
    names = names_in(language)
    if not names:
        return text
    composed = unicodedata.normalize("NFC", text)
    named = _names_pattern(language).sub(lambda found: names[look_alike_key(found[0]).rstrip(".")], composed)
    if named == composed:
        return text
    return " ".join(_connectors_pattern(language).sub(" ", named).split())


@cache
def _names_pattern(language: str) -> re.Pattern[str]:
    """A month's or day's name in `language` as a whole word (and its abbreviation's dot), in any
    case and with either of Arabic's variant letters; the longest first (كانون الثاني before كانون).
    Composed (NFC), as the text is when it is matched: a folded name is casefolded, which takes
    Greek's ΐ apart, and `Μαΐου` (of May) did not match its own name."""
    names = sorted({unicodedata.normalize("NFC", name) for name in names_in(language)}, key=len, reverse=True)
    return re.compile(rf"(?<![^\W\d_])(?:{'|'.join(map(_any_variant, names))})(?![^\W\d_])\.?", re.I)


@cache
def _connectors_pattern(language: str) -> re.Pattern[str]:
    words = sorted(_CONNECTORS.get(names_language(language), "").split(","), key=len, reverse=True)
    return re.compile(rf"(?<![^\W\d_])(?:{'|'.join(map(re.escape, filter(None, words))) or '(?!)'})(?![^\W\d_])\.?",
                      re.I)


def _any_variant(name: str) -> str:
    """A folded name as a pattern that matches it however typed: each Arabic letter that has
    variants as the class of them."""
    return "".join(_VARIANT_CLASSES.get(character, re.escape(character)) for character in name)


_VARIANT_CLASSES = {"ا": "[اأإآٱ]", "ي": "[يىی]", "ك": "[كک]"}
