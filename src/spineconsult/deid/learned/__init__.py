"""A recogniser a site trains on its own annotated notes, used together with the rules."""

from spineconsult.deid.learned.corpus import LabelledText, read_training_data
from spineconsult.deid.learned.crf import SiteModel, TrainingReport, train

__all__ = ["LabelledText", "SiteModel", "TrainingReport", "read_training_data", "train"]
