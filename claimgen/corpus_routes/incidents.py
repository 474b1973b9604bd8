"""What happened: each incident told three ways (a short summary, the claimant's own words, an
officer's narrative) in English, French and German. Written for this corpus."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Incident:
    key: str
    line: str  # motor or property
    other_party: bool
    summary: dict[str, str]  # the short paraphrase a truth file keeps
    account: dict[str, str]  # first person, as a claimant writes it
    report: dict[str, str]  # third person, as an officer or a fire crew writes it


MOTOR = (
    Incident(
        "rear_end",
        "motor",
        True,
        {
            "en": "Struck from behind while stopped at a red light; rear bumper and boot lid damaged.",
            "fr": "Percuté à l'arrière à l'arrêt au feu rouge ; pare-chocs et hayon endommagés.",
            "de": "Beim Halten an roter Ampel von hinten angefahren; Stoßfänger und Heckklappe beschädigt.",
        },
        {
            "en": "I was waiting at the red light when the car behind me failed to stop and ran into the back of my "
            "car. The rear bumper is pushed in and the boot lid no longer closes.",
            "fr": "J'étais arrêté au feu rouge lorsque le véhicule qui me suivait n'a pas freiné à temps et m'a "
            "percuté. Le pare-chocs arrière est enfoncé et le hayon ne ferme plus.",
            "de": "Ich stand an der roten Ampel, als das nachfolgende Fahrzeug nicht rechtzeitig bremste und auf "
            "mein Auto auffuhr. Der hintere Stoßfänger ist eingedrückt, die Heckklappe schließt nicht mehr.",
        },
        {
            "en": "Unit 1 was stationary at a red signal. Unit 2 failed to stop and struck Unit 1 in the rear.",
            "fr": "Le véhicule A était à l'arrêt au feu rouge. Le véhicule B ne s'est pas arrêté et l'a heurté "
            "à l'arrière.",
            "de": "Fahrzeug 1 stand verkehrsbedingt an der Lichtzeichenanlage. Fahrzeug 2 fuhr ungebremst auf.",
        },
    ),
    Incident(
        "lane_change",
        "motor",
        True,
        {
            "en": "Side-swiped by a vehicle changing lanes; left doors and mirror damaged.",
            "fr": "Accroché par un véhicule qui changeait de voie ; portières gauches et rétroviseur abîmés.",
            "de": "Beim Spurwechsel seitlich gestreift; linke Türen und Außenspiegel beschädigt.",
        },
        {
            "en": "A van moved into my lane without signalling and scraped along the driver's side of my car. "
            "Both left doors are dented and the mirror was torn off.",
            "fr": "Une camionnette s'est rabattue sur ma voie sans clignotant et a frotté tout le côté conducteur. "
            "Les deux portières gauches sont enfoncées et le rétroviseur est arraché.",
            "de": "Ein Transporter wechselte ohne zu blinken auf meine Spur und streifte die Fahrerseite. Beide "
            "linken Türen sind verbeult, der Spiegel wurde abgerissen.",
        },
        {
            "en": "Unit 2 changed lanes without signalling and sideswiped the driver side of Unit 1.",
            "fr": "Le véhicule B a changé de file sans signaler et a accroché le flanc gauche du véhicule A.",
            "de": "Fahrzeug 2 wechselte ohne Fahrtrichtungsanzeiger den Fahrstreifen und streifte Fahrzeug 1.",
        },
    ),
    Incident(
        "junction",
        "motor",
        True,
        {
            "en": "Collision at a junction when the other driver ran a red light; front right wing and wheel hit.",
            "fr": "Collision au carrefour, l'autre conducteur a grillé le feu ; aile et roue avant droites touchées.",
            "de": "Kollision an der Kreuzung, Unfallgegner fuhr bei Rot; Kotflügel und Rad vorne rechts getroffen.",
        },
        {
            "en": "I had a green light and was crossing the junction when a car coming from the right went through "
            "its red light and hit my front passenger side. My neck has been sore since.",
            "fr": "Je traversais le carrefour au vert quand une voiture venant de droite a grillé son feu rouge et a "
            "heurté l'avant droit de mon véhicule. J'ai depuis des douleurs aux cervicales.",
            "de": "Ich fuhr bei Grün über die Kreuzung, als ein von rechts kommendes Auto das Rotlicht missachtete "
            "und meine Beifahrerseite vorne traf. Seitdem habe ich Nackenschmerzen.",
        },
        {
            "en": "Unit 2 entered the intersection against a red signal and struck the right front of Unit 1.",
            "fr": "Le véhicule B s'est engagé dans le carrefour au feu rouge et a percuté l'avant droit du véhicule A.",
            "de": "Fahrzeug 2 fuhr bei Rotlicht in die Kreuzung ein und stieß gegen die rechte Front von Fahrzeug 1.",
        },
    ),
    Incident(
        "car_park",
        "motor",
        True,
        {
            "en": "Hit by a reversing car in a car park; front bumper and headlamp broken.",
            "fr": "Heurté par une voiture en marche arrière sur un parking ; pare-chocs avant et phare cassés.",
            "de": "Auf dem Parkplatz von rückwärts ausparkendem Auto getroffen; Frontschürze und Scheinwerfer defekt.",
        },
        {
            "en": "My car was parked outside the supermarket when another driver reversed out of the opposite bay "
            "into my front bumper, breaking the headlamp. The driver left a note with details.",
            "fr": "Ma voiture était garée devant le supermarché quand un conducteur a reculé depuis la place d'en face "
            "et a cassé mon pare-chocs avant et le phare. Il a laissé ses coordonnées.",
            "de": "Mein Auto stand vor dem Supermarkt, als ein anderer Fahrer rückwärts aus der gegenüberliegenden "
            "Parklücke in meine Frontschürze fuhr. Der Scheinwerfer ist gebrochen.",
        },
        {
            "en": "Unit 2 reversed from a parking bay and struck the front of parked Unit 1.",
            "fr": "Le véhicule B a reculé d'une place de stationnement et a heurté l'avant du véhicule A stationné.",
            "de": "Fahrzeug 2 setzte aus einer Parklücke zurück und beschädigte das geparkte Fahrzeug 1.",
        },
    ),
)
PROPERTY = (
    Incident(
        "burst_pipe",
        "property",
        False,
        {
            "en": "Burst pipe flooded the kitchen and basement; flooring and drywall soaked.",
            "fr": "Rupture de canalisation : cuisine et sous-sol inondés, sols et cloisons détrempés.",
            "de": "Rohrbruch setzte Küche und Keller unter Wasser; Boden und Trockenbau durchnässt.",
        },
        {
            "en": "A pipe under the kitchen sink split during the night. By morning the water had run through the "
            "floor into the basement and soaked the flooring, cabinets and the lower walls.",
            "fr": "Un tuyau sous l'évier a éclaté pendant la nuit. Le matin, l'eau avait traversé le plancher jusqu'au "
            "sous-sol et imbibé les sols, les meubles et le bas des cloisons.",
            "de": "In der Nacht platzte ein Rohr unter der Spüle. Am Morgen war das Wasser durch die Decke in den "
            "Keller gelaufen und hatte Boden, Schränke und die unteren Wände durchnässt.",
        },
        {
            "en": "Water discharge from a failed supply line under the kitchen sink; water through ceiling below.",
            "fr": "Fuite sur l'alimentation de l'évier ; infiltration à travers le plafond du sous-sol.",
            "de": "Wasseraustritt aus defekter Zuleitung unter der Spüle; Durchfeuchtung der Kellerdecke.",
        },
    ),
    Incident(
        "kitchen_fire",
        "property",
        False,
        {
            "en": "Kitchen fire started at the cooker; smoke damage through the ground floor.",
            "fr": "Incendie parti de la cuisinière ; dégâts de fumée dans tout le rez-de-chaussée.",
            "de": "Küchenbrand am Herd; Rauchschäden im gesamten Erdgeschoss.",
        },
        {
            "en": "A pan of oil caught fire on the cooker and the flames reached the extractor hood and the wall "
            "units. The fire brigade put it out, but smoke blackened the whole ground floor.",
            "fr": "Une poêle d'huile a pris feu sur la cuisinière et les flammes ont atteint la hotte et les meubles "
            "hauts. Les pompiers l'ont éteint mais la fumée a noirci tout le rez-de-chaussée.",
            "de": "Eine Pfanne mit Öl fing auf dem Herd Feuer, die Flammen griffen auf Dunstabzug und Oberschränke "
            "über. Die Feuerwehr löschte, doch der Rauch schwärzte das ganze Erdgeschoss.",
        },
        {
            "en": "Fire confined to the kitchen, origin at the range top (unattended cooking oil). Smoke "
            "throughout the first floor. Crew ventilated the structure.",
            "fr": "Feu circonscrit à la cuisine, origine sur la plaque de cuisson (huile sans surveillance). Fumées "
            "dans tout le rez-de-chaussée ; ventilation du logement.",
            "de": "Brand auf Küche begrenzt, Entstehung am Herd (unbeaufsichtigtes Speiseöl). Verrauchung des "
            "Erdgeschosses, Belüftung durch die Einsatzkräfte.",
        },
    ),
    Incident(
        "storm_tree",
        "property",
        False,
        {
            "en": "Storm brought a tree down on the roof; tiles, gutter and a bedroom ceiling damaged.",
            "fr": "Tempête : un arbre est tombé sur le toit ; tuiles, gouttière et plafond d'une chambre abîmés.",
            "de": "Sturm warf Baum auf das Dach; Ziegel, Dachrinne und Zimmerdecke beschädigt.",
        },
        {
            "en": "During the storm an oak in the garden came down on the back of the house. It broke roof tiles and "
            "the gutter, and rain came through the bedroom ceiling before we could cover the hole.",
            "fr": "Pendant la tempête, le chêne du jardin est tombé sur l'arrière de la maison. Il a brisé des tuiles "
            "et la gouttière, et la pluie a traversé le plafond de la chambre.",
            "de": "Während des Sturms stürzte die Eiche im Garten auf die Rückseite des Hauses. Ziegel und Dachrinne "
            "brachen, Regen drang durch die Schlafzimmerdecke, bevor wir abdecken konnten.",
        },
        {
            "en": "Tree uprooted by high winds fell across the rear roof slope. Tarp applied by crew.",
            "fr": "Arbre déraciné par le vent tombé sur le pan arrière de la toiture ; bâchage effectué.",
            "de": "Durch Sturmböen entwurzelter Baum auf rückwärtige Dachfläche gestürzt; Notabdeckung erfolgt.",
        },
    ),
)
