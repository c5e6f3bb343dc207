"""The language tags a feed may carry (BCP 47 tags whose language the W3C Feed Validator knows),
which are written right to left, and the quotation marks each sets.

The validator reads the first subtag of a feed's language (RSS <language>, Atom xml:lang)
against its list of ISO 639-1 and 639-2 codes and warns of any other, such as the ISO 639-3
codes BCP 47 also takes (ckb, yue); the subtags after it (zh-Hant, sr-Latn, es-419) it does
not read. BCP 47 writes a language in two letters where ISO 639-1 has them (en, never eng or
fre). LANGUAGES is the codes in both: ISO 639-1, and ISO 639-2 where a language has no
ISO 639-1 code, as Debian's iso-codes lists them, less those the validator lacks (cnr, nqo,
syc, zbl, zgh, zxx, zza, qaa-qtz), and with three it keeps that sites have used: mo and sh
(withdrawn from ISO 639-1, so a site that published with them still does) and gws.
"""

from __future__ import annotations

LANGUAGES = frozenset("""
    aa ab ace ach ada ady ae af afa afh ain ak akk ale alg alt am an ang anp apa ar arc arn arp art arw as ast ath
    aus av awa ay az ba bad bai bal ban bas bat be bej bem ber bg bh bho bi bik bin bla bm bn bnt bo br bra bs btk
    bua bug byn ca cad cai car cau ce ceb cel ch chb chg chk chm chn cho chp chr chy cmc co cop cpe cpf cpp cr crh
    crp cs csb cu cus cv cy da dak dar day de del den dgr din doi dra dsb dua dum dv dyu dz ee efi egy eka el elx
    en enm eo es et eu ewo fa fan fat ff fi fil fiu fj fo fon fr frm fro frr frs fur fy ga gaa gay gba gd gem gez
    gil gl gmh gn goh gon gor got grb grc gsw gu gv gwi ha hai haw he hi hil him hit hmn ho hr hsb ht hu hup hy hz
    ia iba id ie ig ii ijo ik ilo inc ine inh io ira iro is it iu ja jbo jpr jrb jv ka kaa kab kac kam kar kaw kbd
    kg kha khi kho ki kj kk kl km kmb kn ko kok kos kpe kr krc krl kro kru ks ku kum kut kv kw ky la lad lah lam
    lb lez lg li ln lo lol loz lt lu lua lui lun luo lus lv mad mag mai mak man map mas mdf mdr men mg mga mh mi
    mic min mis mk mkh ml mn mnc mni mno moh mos mr ms mt mul mun mus mwl mwr my myn myv na nah nai nap nb nd nds
    ne new ng nia nic niu nl nn no nog non nr nso nub nv nwc ny nym nyn nyo nzi oc oj om or os osa ota oto pa paa
    pag pal pam pap pau peo phi phn pi pl pon pra pro ps pt qu raj rap rar rm rn ro roa rom ru rup rw sa sad sah
    sai sal sam sas sat sc scn sco sd se sel sem sg sga sgn shn si sid sio sit sk sl sla sm sma smi smj smn sms sn
    snk so sog son sq sr srn srr ss ssa st su suk sus sux sv sw syr ta tai te tem ter tet tg th ti tig tiv tk tkl
    tl tlh tli tmh tn to tog tpi tr ts tsi tt tum tup tut tvl tw ty tyv udm ug uga uk umb und ur uz vai ve vi vo
    vot wa wak wal war was wen wo xal xh yao yap yi yo ypk za zap zen zh znd zu zun
    mo sh gws
""".split())

# The three-letter codes (ISO 639-2/T and /B) of the languages BCP 47 writes in two letters,
# and the two-letter codes ISO 639-1 withdrew for new ones (iw is he).
TWO_LETTERS = dict(pair.split(":") for pair in """
    aar:aa abk:ab afr:af aka:ak alb:sq amh:am ara:ar arg:an arm:hy asm:as ava:av ave:ae aym:ay aze:az bak:ba
    bam:bm baq:eu bel:be ben:bn bih:bh bis:bi bod:bo bos:bs bre:br bul:bg bur:my cat:ca ces:cs cha:ch che:ce
    chi:zh chu:cu chv:cv cor:kw cos:co cre:cr cym:cy cze:cs dan:da deu:de div:dv dut:nl dzo:dz ell:el eng:en
    epo:eo est:et eus:eu ewe:ee fao:fo fas:fa fij:fj fin:fi fra:fr fre:fr fry:fy ful:ff geo:ka ger:de gla:gd
    gle:ga glg:gl glv:gv gre:el grn:gn guj:gu hat:ht hau:ha heb:he her:hz hin:hi hmo:ho hrv:hr hun:hu hye:hy
    ibo:ig ice:is ido:io iii:ii iku:iu ile:ie ina:ia ind:id ipk:ik isl:is ita:it jav:jv jpn:ja kal:kl kan:kn
    kas:ks kat:ka kau:kr kaz:kk khm:km kik:ki kin:rw kir:ky kom:kv kon:kg kor:ko kua:kj kur:ku lao:lo lat:la
    lav:lv lim:li lin:ln lit:lt ltz:lb lub:lu lug:lg mac:mk mah:mh mal:ml mao:mi mar:mr may:ms mkd:mk mlg:mg
    mlt:mt mon:mn mri:mi msa:ms mya:my nau:na nav:nv nbl:nr nde:nd ndo:ng nep:ne nld:nl nno:nn nob:nb nor:no
    nya:ny oci:oc oji:oj ori:or orm:om oss:os pan:pa per:fa pli:pi pol:pl por:pt pus:ps que:qu roh:rm ron:ro
    rum:ro run:rn rus:ru sag:sg san:sa sin:si slk:sk slo:sk slv:sl sme:se smo:sm sna:sn snd:sd som:so sot:st
    spa:es sqi:sq srd:sc srp:sr ssw:ss sun:su swa:sw swe:sv tah:ty tam:ta tat:tt tel:te tgk:tg tgl:tl tha:th
    tib:bo tir:ti ton:to tsn:tn tso:ts tuk:tk tur:tr twi:tw uig:ug ukr:uk urd:ur uzb:uz ven:ve vie:vi vol:vo
    wel:cy wln:wa wol:wo xho:xh yid:yi yor:yo zha:za zho:zh zul:zu iw:he in:id ji:yi
""".split())

# Newsrooms' languages by the names people write in site.yaml instead of their tags.
BY_NAME = dict(pair.split(":") for pair in """
    english:en french:fr français:fr german:de deutsch:de spanish:es español:es italian:it italiano:it
    portuguese:pt português:pt dutch:nl nederlands:nl arabic:ar turkish:tr türkçe:tr russian:ru greek:el
    polish:pl swedish:sv norwegian:no danish:da finnish:fi czech:cs hungarian:hu romanian:ro ukrainian:uk
    hebrew:he persian:fa farsi:fa hindi:hi urdu:ur chinese:zh japanese:ja korean:ko indonesian:id
    vietnamese:vi thai:th swahili:sw catalan:ca
""".split())

# The languages CLDR writes in a right-to-left script when their tag names none (Kashmiri and
# Baluchi in Arabic letters, Judeo-Persian in Hebrew ones), and the right-to-left scripts of
# ISO 15924, as ICU lists them (Nastaliq's Aran and Syriac's three forms included).
_RIGHT_TO_LEFT_LANGUAGES = frozenset({"ar", "arc", "bal", "chg", "dv", "fa", "he", "jpr", "jrb", "ks", "ota", "pal",
                                      "phn", "ps", "sam", "sd", "sog", "syr", "ug", "ur", "yi"})
_RIGHT_TO_LEFT_SCRIPTS = frozenset({
    "adlm", "arab", "aran", "armi", "avst", "chrs", "cprt", "elym", "gara", "hatr", "hebr", "hung", "khar", "lydi",
    "mand", "mani", "mend", "merc", "mero", "narb", "nbat", "nkoo", "orkh", "ougr", "palm", "phli", "phlp", "phnx",
    "prti", "rohg", "samr", "sarb", "sogd", "sogo", "syrc", "syre", "syrj", "syrn", "thaa", "yezi"})


def is_english(language: str) -> bool:
    """Whether the site's language is English (`en`, `en-GB`): the language of the words
    feeds writes on a page itself."""
    return language.lower().partition("-")[0] == "en"


def is_right_to_left(language: str) -> bool:
    """Whether the site's language is written right to left (`ar`, `he`, `az-Arab`; not
    `ku-Latn`): its pages then read from the right, headlines, lists and all."""
    subtags = language.lower().split("-")
    script = next((subtag for subtag in subtags[1:] if len(subtag) == 4 and subtag.isalpha()), None)
    return script in _RIGHT_TO_LEFT_SCRIPTS if script else subtags[0] in _RIGHT_TO_LEFT_LANGUAGES


# The quotation marks a language sets, outer pair then inner pair, as CLDR gives them and
# browsers show a <q> in a page of that language; a tag with a region or script that sets
# others names them (pt-PT, de-CH, zh-Hant).
_QUOTATION_MARKS = {
    "en": "“”‘’", "de": "„“‚‘", "de-ch": "«»‹›", "fr": "«»«»", "fr-ch": "«»‹›", "es": "«»“”", "it": "«»“”",
    "nl": "“”‘’", "pt": "“”‘’", "pt-pt": "«»“”", "sv": "””’’", "pl": "„”«»", "ru": "«»„“", "uk": "«»„“",
    "cs": "„“‚‘", "sk": "„“‚‘", "fi": "””’’", "tr": "“”‘’", "ja": "「」『』", "ko": "“”‘’", "zh": "“”‘’",
    "zh-hant": "「」『』", "zh-tw": "「」『』", "zh-hk": "「」『』",
}
_UNKNOWN_QUOTATION_MARKS = "“”‘’"


def quotation_marks(language: str) -> str:
    """The outer and inner pairs of quotation marks the site's language sets, as one string
    of four (`„“‚‘` for `de`), from its whole tag down to its language alone; “”‘’ for a
    language not listed."""
    subtags = language.lower().split("-")
    tags = ("-".join(subtags[:count]) for count in range(len(subtags), 0, -1))
    return next((_QUOTATION_MARKS[tag] for tag in tags if tag in _QUOTATION_MARKS), _UNKNOWN_QUOTATION_MARKS)
