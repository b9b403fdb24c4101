"""The course's deepfake figures and two published detection baselines, as data with their sources.

Every figure carries the year (or date) it describes and the source it comes from, so a page can
chart it, ask "predict, then reveal", and cite it. Numbers are the sources' own; where the course
notes state a figure differently from its source, `Fact.caveat` says how (a page can turn it into
a question for the class).

Checked against the course notes (seeds, GAN lecture, "GAN-DeepFake" slides) and the sources:
- The notes cite technews.tw (28 Nov 2020). Its figures come from Deeptrace, renamed Sensity:
  "The State of Deepfakes" (Sept 2019, data of July 2019) and Sensity's June-2020 statistics.
- The notes add 62.7 + 21.7 + 4.4 to 88.9%; the three add to 88.8%. The 88.9% is the source's
  own total (presumably from unrounded shares), so the sum does not check with the rounded parts.
- The notes say the doubling is "in the US"; the source counts deepfake videos found online
  worldwide, not in one country.
- The notes describe the 2020 shares as the targets of pornographic deepfakes; the source gives
  them as the sectors of the people targeted by deepfake videos in general.
- "14,678 in 2019" is a count at one date (July 2019) of videos online, not the number made in 2019.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DETECTOR_BASELINES",
    "FACTS",
    "HUMAN_BASELINES",
    "SOURCES",
    "TARGET_SECTORS_2020",
    "DetectorBaseline",
    "Fact",
    "HumanBaseline",
    "Source",
    "fact",
]


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    publisher: str
    date: str  # ISO date or year of publication
    url: str  # "" where no stable address is known


@dataclass(frozen=True)
class Fact:
    key: str
    value: float
    unit: str  # "count" | "percent" | "months"
    describes: str  # the date or year the figure is about
    source: str  # key in SOURCES
    caveat: str = ""  # how the course notes differ from the source, if they do


SOURCES: dict[str, Source] = {
    s.key: s
    for s in (
        Source("technews2020", "Deepfake 2020 development status (in Chinese), cited by the course",
               "TechNews (technews.tw)", "2020-11-28",
               "https://technews.tw/2020/11/28/deepfake-2020-development-status/"),
        Source("deeptrace2019", "The State of Deepfakes: Landscape, Threats, and Impact",
               "Deeptrace (now Sensity)", "2019-09", ""),
        Source("sensity2020", "Deepfake threat intelligence: a statistics snapshot from June 2020",
               "Sensity", "2020-07",
               "https://sensity.ai/deepfake-threat-intelligence-a-statistics-snapshot-from-june-2020/"),
        Source("nightingale2022", "AI-synthesized faces are indistinguishable from real faces and more "
               "trustworthy (S. J. Nightingale, H. Farid)", "PNAS 119(8) e2120481119", "2022-02",
               "https://doi.org/10.1073/pnas.2120481119"),
        Source("wang2020", "CNN-generated images are surprisingly easy to spot... for now (S.-Y. Wang, "
               "O. Wang, R. Zhang, A. Owens, A. A. Efros)", "CVPR 2020", "2020",
               "https://arxiv.org/abs/1912.11035"),
        Source("cnndetection", "CNNDetection repository README: results of the released Blur+JPEG(0.5) "
               "model on the released test set, 224x224 crops", "GitHub, PeterWang512/CNNDetection", "2020",
               "https://github.com/PeterWang512/CNNDetection"),
    )
}

FACTS: tuple[Fact, ...] = (
    Fact("doubling_months", 6, "months", "December 2018 to June 2020", "technews2020",
         "The notes place this in the US; the source counts deepfake videos online worldwide."),
    Fact("deepfakes_dec_2018", 7_964, "count", "December 2018", "deeptrace2019"),
    Fact("deepfakes_2019", 14_678, "count", "July 2019", "technews2020",
         "A count of videos found online at that date (Deeptrace 2019), not the number made in 2019."),
    Fact("porn_share_2019", 96, "percent", "July 2019", "technews2020"),
    Fact("deepfakes_jun_2020", 49_081, "count", "June 2020", "sensity2020"),
    Fact("target_entertainment_2020", 62.7, "percent", "June 2020", "technews2020",
         "The notes call these the targets of pornographic deepfakes; the source: people targeted by "
         "deepfake videos in general, by sector."),
    Fact("target_fashion_2020", 21.7, "percent", "June 2020", "technews2020"),
    Fact("target_sport_2020", 4.4, "percent", "June 2020", "technews2020"),
    Fact("target_three_sectors_stated_2020", 88.9, "percent", "June 2020", "technews2020",
         "Stated total of the three sectors; 62.7 + 21.7 + 4.4 = 88.8, so the rounded parts miss it by 0.1."),
)


def fact(key: str) -> Fact:
    """One fact by key; an unknown key raises KeyError listing the valid keys."""
    for f in FACTS:
        if f.key == key:
            return f
    raise KeyError(f"unknown fact {key!r}; valid keys: {', '.join(f.key for f in FACTS)}")


# Sectors of the people targeted in June 2020, in percent, for a chart; "other" is the remainder of
# the three rounded shares (100 - 88.8), not of the stated 88.9.
TARGET_SECTORS_2020: dict[str, float] = {
    "entertainment": 62.7,
    "fashion": 21.7,
    "sport": 4.4,
    "other": round(100.0 - (62.7 + 21.7 + 4.4), 1),
}


@dataclass(frozen=True)
class HumanBaseline:
    key: str
    condition: str
    accuracy: float  # percent correct
    ci95: tuple[float, float]  # 95% confidence interval, percent
    participants: int
    chance: float  # percent correct by guessing
    images: str
    source: str


HUMAN_BASELINES: tuple[HumanBaseline, ...] = (
    HumanBaseline("untrained", "no training, one face at a time: real or synthesised", 48.2, (47.1, 49.2), 315,
                  50.0, "StyleGAN2 faces and real faces (FFHQ)", "nightingale2022"),
    HumanBaseline("trained", "after training on artefacts, with feedback after every face", 59.0, (57.7, 60.4),
                  219, 50.0, "StyleGAN2 faces and real faces (FFHQ)", "nightingale2022"),
)


@dataclass(frozen=True)
class DetectorBaseline:
    trained_on: str
    tested_on: str
    ap: float  # average precision, percent
    accuracy: float  # accuracy at threshold 0.5, percent
    source: str


# Wang et al. 2020's ProGAN-trained detector (Blur+JPEG 0.5), per unseen generator (ProGAN is the
# seen one); numbers from the repository README's table for 224x224 crops.
DETECTOR_BASELINES: tuple[DetectorBaseline, ...] = tuple(
    DetectorBaseline("ProGAN", name, ap, acc, "cnndetection")
    for name, ap, acc in (
        ("ProGAN", 100.0, 100.0),
        ("StyleGAN", 98.5, 73.4),
        ("StyleGAN2", 98.0, 68.4),
        ("BigGAN", 88.2, 59.0),
        ("CycleGAN", 96.8, 80.8),
        ("Deepfakes (face swap)", 66.3, 51.1),
    )
)
