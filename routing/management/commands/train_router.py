"""python manage.py train_router: cross-validate, fit on the whole corpus, save the parameters."""

import time

from django.core.management.base import BaseCommand, CommandError

from routing.classifier.corpus import CorpusError, corpus_digest, load_corpus
from routing.classifier.model import RouterModel, reset_model
from routing.classifier.training import (
    DEFAULT_VARIANT,
    MODEL_DIR,
    VARIANTS,
    choose_step_up_threshold,
    cross_validate,
    export,
    fit_parameters,
    leave_one_writer_out,
    reports_from,
)


class Command(BaseCommand):
    help = (
        "Train the router on routing/data/corpus/*.csv: prints 5-fold cross-validated "
        "accuracy, macro-F1 and confusion matrices for the tier head and each dimension head, "
        "then saves plain parameters (JSON + .npz) to routing/classifier/model/ for the server."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--compare",
            action="store_true",
            help="Also cross-validate every variant in training.VARIANTS and print a table.",
        )
        parser.add_argument("--folds", type=int, default=5, help="Cross-validation folds.")
        parser.add_argument(
            "--no-save", action="store_true", help="Report only; leave the saved model alone."
        )

    def handle(self, *args, compare: bool, folds: int, no_save: bool, **options) -> None:
        try:
            examples = load_corpus()
        except CorpusError as error:
            raise CommandError(f"Corpus error: {error}") from error
        if len(examples) < folds * 3:
            raise CommandError(f"Only {len(examples)} corpus rows; need more to train.")
        self.stdout.write(f"Corpus: {len(examples)} rows")

        if compare:
            self.stdout.write("\nVariant comparison (tier head, cross-validated):")
            for name, config in VARIANTS.items():
                started = time.perf_counter()
                reports = cross_validate(examples, config, folds=folds)
                tier = reports["tier"]
                dims = "  ".join(f"{h} {reports[h].accuracy:.3f}" for h in reports if h != "tier")
                self.stdout.write(
                    f"  {name:<22} acc {tier.accuracy:.3f}  macro-F1 {tier.macro_f1:.3f}  "
                    f"| {dims}  ({time.perf_counter() - started:.1f}s)"
                )

        config = VARIANTS[DEFAULT_VARIANT]
        self.stdout.write(f"\nVariant '{DEFAULT_VARIANT}': {config}")
        self.stdout.write(f"{folds}-fold stratified cross-validation:\n")
        for report in cross_validate(examples, config, folds=folds).values():
            self.stdout.write(report.render() + "\n")

        threshold = None
        if len({e.writer for e in examples}) >= 2:
            self.stdout.write(
                "Leave-one-writer-out (each writer's rows scored by a model without them):"
            )
            results = leave_one_writer_out(examples, config)
            threshold, scores = choose_step_up_threshold(results)
            for report in reports_from(results).values():
                self.stdout.write(report.render() + "\n")
            table = "  ".join(f"{t:.2f}: {a:.3f}" for t, a in scores.items())
            self.stdout.write(f"Served tier accuracy by step-up threshold: {table}")
            self.stdout.write(f"Step-up threshold chosen by that measurement: {threshold:.2f}\n")

        if no_save:
            return
        started = time.perf_counter()
        parameters = fit_parameters(examples, config, digest=corpus_digest())
        if threshold is not None:
            parameters["meta"]["step_up_threshold"] = threshold
        fit_seconds = time.perf_counter() - started
        # Self-check: the runtime rebuild must agree with sklearn on the training texts.
        runtime = RouterModel.from_parameters(parameters)
        vectoriser = parameters["_vectoriser"]
        sample = [e.text for e in examples[:50]]
        matrix = vectoriser.transform(sample).toarray()
        for row, text in zip(matrix, sample, strict=True):
            columns, values, _ = runtime.features(text)
            dense = row * 0
            dense[columns] = values
            if abs(dense - row).max() > 1e-9:
                raise CommandError(f"Runtime features disagree with sklearn on: {text!r}")
        paths = export(parameters, MODEL_DIR)
        reset_model()
        features = parameters["weights"].shape[0]
        self.stdout.write(
            self.style.SUCCESS(
                f"Fitted on all {len(examples)} rows in {fit_seconds:.1f}s "
                f"({features} features); saved {', '.join(str(p.name) for p in paths)} "
                f"to {MODEL_DIR}"
            )
        )
