"""The shipped models: training data, licence, labels, settings and the published anchors."""

from __future__ import annotations

from dataclasses import dataclass, field

from juru.scan.classify import datasets
from juru.scan.classify.datasets import Loader, TargetLoader
from juru.scan.classify.training import Hyper, Member, Thresholded


@dataclass(frozen=True)
class ModelSpec:
    """Everything ``juru train`` and the model card need to know about one shipped model."""

    name: str
    lang: str
    loader: Loader
    classes: tuple[str, ...]
    tasks: tuple[Thresholded, ...]
    hyper: Hyper
    noncommercial: bool
    licence: str
    data: str
    labels: str
    anchors: tuple[str, ...]
    target: str
    override: str | None = None  # class predicted whenever its probability passes its threshold
    targets: TargetLoader | None = None  # auxiliary labels that members with a ``target`` learn
    # Plain TF-IDF (sklearn word 1-2 + char_wb 2-5, sublinear) + linear SVM, on the same folds and protocol.
    baseline: dict[str, float] = field(default_factory=dict)
    stretch: dict[str, float] = field(default_factory=dict)  # published transformer level
    notes: tuple[str, ...] = field(default_factory=tuple)


SPECS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="sentiment-id",
            baseline={"macro_f1": 0.857},
            stretch={"macro_f1": 0.88},
            lang="id",
            loader=datasets.smsa,
            classes=("negative", "neutral", "positive"),
            tasks=(Thresholded("sentiment", ("negative",)),),
            hyper=Hyper(members=(Member("w", c=0.3, naive_bayes=True), Member("c", c=0.3), Member("wc", c=0.3))),
            noncommercial=False,
            licence="Apache-2.0 (IndoNLU repository licence; "
            "cite Wilie et al. 2020 and Purwarianti & Crisdayanti 2019)",
            data="IndoNLU SmSA, official train split (11,000 comments and reviews), IndoNLU commit ce728f6",
            labels="positive / neutral / negative as upstream",
            anchors=(
                "official test macro-F1: mBERT 84.14, IndoBERT-base p1 87.73, IndoBERT-large p1 92.72 (IndoNLU)",
                "TF-IDF + linear model: about 0.77 on the official test split (about 0.87 by CV on train)",
            ),
            target="macro-F1 >= 0.88 on the official test split (stretch); CV on train overstates test",
        ),
        ModelSpec(
            name="emotion-id",
            baseline={"macro_f1": 0.688},
            stretch={"macro_f1": 0.76},
            lang="id",
            loader=datasets.emot,
            classes=("anger", "fear", "happy", "love", "sadness"),
            tasks=(Thresholded("emotion", ("anger",)),),
            # Held-out protocol, CV on the 80 %: with a plain C = 1 member 0.683, with it and a logistic member 0.680.
            hyper=Hyper(
                members=(
                    Member("w", c=0.3, naive_bayes=True),
                    Member("c", c=0.3),
                    Member("wc", c=0.3, naive_bayes=True),
                    Member("wc", c=1.0),
                )
            ),
            noncommercial=False,
            licence="Apache-2.0 (IndoNLU repository licence; cite Saputri et al. 2018 and Wilie et al. 2020)",
            data="IndoNLU EmoT, official train split (3,521 tweets), IndoNLU commit ce728f6",
            labels="anger / fear / happy / love / sadness as upstream",
            anchors=(
                "official test macro-F1: mBERT 67.30, IndoBERT-base p2 76.28, IndoBERT-large p2 79.47 (IndoNLU)",
                "TF-IDF + linear model: about 0.70",
            ),
            target="macro-F1 >= 0.76 (stretch)",
        ),
        ModelSpec(
            name="abusive-id",
            baseline={"f1": 0.895},
            stretch={"f1": 0.92},
            lang="id",
            loader=datasets.ibrohim_abusive,
            classes=("false", "true"),
            tasks=(Thresholded("abusive", ("true",)),),
            # On these folds the word/char ensemble scored 0.908, the single model 0.907: the single one is kept.
            hyper=Hyper(members=(Member("wc", c=0.3, naive_bayes=True),)),
            noncommercial=True,
            licence="CC BY-NC-SA 4.0 (training data); non-commercial, share-alike; cite Ibrohim & Budi 2019",
            data="Ibrohim & Budi 2019 multi-label set, development part (10,545 of 13,169 tweets), column Abusive",
            labels="Abusive = 1 -> true, 0 -> false",
            anchors=("TF-IDF + linear model: F1 about 0.895",),
            target="F1 of the abusive class >= 0.92 (stretch)",
        ),
        ModelSpec(
            name="hate-id",
            baseline={"f1": 0.840},
            stretch={"f1": 0.87},
            lang="id",
            loader=datasets.ibrohim_hate,
            classes=("false", "true"),
            tasks=(Thresholded("hate", ("true",)),),
            # Held-out protocol, CV on the 80 %: with a plain C = 1 member 0.843, with it and auxiliary-label
            # members (Abusive, HS_Group) 0.842; the plain member is kept.
            hyper=Hyper(
                members=(
                    Member("w", c=0.3, naive_bayes=True, balanced=True),
                    Member("c", c=0.3, balanced=True),
                    Member("wc", c=0.3, balanced=True),
                    Member("wc", c=1.0),
                )
            ),
            noncommercial=True,
            licence="CC BY-NC-SA 4.0 (training data); non-commercial, share-alike; cite Ibrohim & Budi 2019",
            data="Ibrohim & Budi 2019 multi-label set, development part (10,545 of 13,169 tweets), column HS",
            labels="HS = 1 -> true, 0 -> false",
            anchors=(
                "5-fold CV F1 of HS=1 (Koto et al. 2021): mBERT 85.1, IndoBERT 86.8, IndoBERTweet 88.8",
                "TF-IDF + linear model: about 0.84",
            ),
            target="F1 of the hate class >= 0.87 (stretch)",
        ),
        ModelSpec(
            name="sentiment-en",
            baseline={"macro_f1": 0.765},
            stretch={"macro_f1": 0.82},
            lang="en",
            loader=datasets.airline,
            classes=("negative", "neutral", "positive"),
            tasks=(Thresholded("sentiment", ("negative",)),),
            # On these folds the ensemble scored 0.752 and a single word + char SVM 0.744; neither the number
            # placeholder nor the per-group normalisation moved the single model (0.744 / 0.745 without them).
            hyper=Hyper(
                members=(
                    Member("w", c=0.3, naive_bayes=True, balanced=True),
                    Member("c", c=0.3, balanced=True),
                    Member("wc", c=0.3, balanced=True),
                )
            ),
            noncommercial=True,
            licence="CC BY-NC-SA 4.0 (Kaggle listing of the training data); non-commercial, share-alike; "
            "attribution: Twitter US Airline Sentiment, CrowdFlower Data for Everyone",
            data="Twitter US Airline Sentiment, development part (11,714 of 14,640 tweets)",
            labels="airline_sentiment as upstream; handles masked; the upstream find-and-replace damage "
            "('Late Flight', 'Cancelled Flight', 'Flight Booking Problems') undone before training",
            anchors=(
                "TF-IDF + linear model: macro-F1 0.76",
                "out of domain (TweetEval sentiment test, macro-recall): SVM 62.9, RoBERTa-base 71.3",
            ),
            target="macro-F1 >= 0.82 (stretch)",
            notes=(
                "Was below the plain TF-IDF baseline while idf came after the per-group L2 norm (rows of unequal "
                "length: held-out 0.739 against 0.757); with TF-IDF rows (model format 2) and fold-averaged "
                "weights 0.765 on the same held-out rows. Single word + char SVM ablations before that change: "
                "without the number placeholder 0.744, word 1-3-grams 0.752, char 2-6-grams 0.748, C = 1 0.740, "
                "min_df = 1 0.747 (base 0.744).",
            ),
        ),
        ModelSpec(
            name="emotion-en",
            baseline={"macro_f1": 0.717},
            lang="en",
            loader=datasets.tweeteval_emotion,
            classes=("anger", "happy", "sadness"),
            tasks=(Thresholded("emotion", ("anger",)),),
            hyper=Hyper(members=(Member("w", c=0.3, naive_bayes=True), Member("c", c=0.3), Member("wc", c=0.3))),
            noncommercial=False,
            licence="Weights only. TweetEval states no licence ('released without any restrictions', task and "
            "Twitter terms apply); the SemEval-2018 Task 1 terms forbid redistributing the texts, so no text, "
            "vocabulary or n-gram string is stored (keys are 32-bit hashes). Cite Barbieri et al. 2020 and "
            "Mohammad et al. 2018.",
            data="TweetEval emotion (SemEval-2018 Task 1), official train split (3,257 tweets)",
            labels="anger -> anger; joy, optimism -> happy; sadness -> sadness",
            anchors=(
                "4-class official test macro-F1 (not the same label set): SVM 64.7, RoBERTa-base 76.1, TimeLMs 80.2",
            ),
            target="best effort (3 classes; no published anchor for this mapping)",
        ),
        ModelSpec(
            name="offensive-en",
            baseline={"macro_f1": 0.745, "hate_f1": 0.433},
            stretch={"macro_f1": 0.78, "hate_f1": 0.55},
            lang="en",
            loader=datasets.davidson,
            classes=("hate", "neither", "offensive"),
            tasks=(Thresholded("abusive", ("hate", "offensive")), Thresholded("hate", ("hate",))),
            hyper=Hyper(
                members=(
                    Member("w", c=0.1, naive_bayes=True, balanced=True),
                    Member("c", c=0.1, balanced=True),
                    Member("wc", c=0.1, balanced=True),
                )
            ),
            noncommercial=False,
            licence="MIT (Davidson et al. repository); cite Davidson et al. 2017",
            data="Davidson et al. 2017, development part (19,826 of 24,783 tweets)",
            labels="class 0 -> hate, 1 -> offensive, 2 -> neither; abusive = hate or offensive",
            anchors=(
                "paper / notebook (logistic regression): hate-class F1 0.51 (P 0.44, R 0.59), weighted F1 0.90",
                "TF-IDF + linear model: hate-class F1 0.46, macro-F1 0.755",
            ),
            target="hate-class F1 >= 0.55 and macro-F1 >= 0.78",
            notes=(
                "Held-out (same rows, recipe trained on the other 80 %): 0.739 / 0.411 with idf after the norm, "
                "0.758 / 0.457 with TF-IDF rows and fold-averaged weights (baseline 0.732 / 0.406). Tried "
                "before: one class-weighted logistic regression (0.738 / 0.424 by CV), one class-weighted SVM "
                "with C = 0.1 (0.733 / 0.414 by CV).",
            ),
            override="hate",
        ),
    )
}
