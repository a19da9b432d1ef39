#!/usr/bin/env python3
"""crosscheck on Apache Spark: the same report as `crosscheck run`, from JSON Lines on any
path Spark reads (local, hdfs:, s3a:, gs:, abfs:).

    map      every input line -> `crosscheck map` on the executors (per article: names,
             claims, story terms; the text stays behind)   -> KEY<TAB>summary
    shuffle  by KEY (record version 1: one key, "corpus")
    reduce   `crosscheck reduce` on one executor: the corpus-wide steps (name clustering,
             wire copies, stories, events, detection) and the report files, sent back as
             FILE<TAB>line records
    driver   fetches the lines sorted by (file, line) in pieces of about --output-part-mb,
             one piece at a time, and writes them into --out (a folder on the driver's
             machine); it never holds the whole report

The binary is run as a subprocess of each task. Ship it with `spark-submit --files
/path/to/crosscheck` (and any --aliases tables the same way); the job finds shipped files by
name with SparkFiles, else uses the path as given. See docs/spark.md.

    spark-submit --master yarn --files target/release/crosscheck \\
        spark/crosscheck_job.py hdfs:///news/2026-11-26/ --out report
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="crosscheck_job.py",
        description="Runs crosscheck's map and reduce steps on Spark and writes the same "
        "files as `crosscheck run` into --out.",
    )
    p.add_argument("inputs", nargs="+", help="JSON Lines files or folders (.jsonl, .ndjson, .json, optionally .gz), "
                   "as `crosscheck run` would be given them")
    p.add_argument("--out", required=True, help="output folder on the driver's machine")
    p.add_argument("--binary", default="crosscheck",
                   help="the crosscheck binary: a file shipped with --files (by name), or a path on every executor")
    p.add_argument("--aliases", action="append", default=[], help="extra alias table (ship it with --files too)")
    p.add_argument("--jsonl", action="store_true", help="also write conflicts.jsonl")
    p.add_argument("--excel", action="store_true", help="start CSV files with a UTF-8 byte order mark")
    p.add_argument("--min-confidence", type=float, default=None)
    p.add_argument("--max-article-bytes", type=int, default=None)
    p.add_argument("--max-claims-per-article", type=int, default=None)
    p.add_argument("--map-threads", type=int, default=1, help="threads per map task (default 1, one per task slot)")
    p.add_argument("--reduce-threads", type=int, default=0, help="threads of the reduce task (0 = all cores of its host)")
    p.add_argument("--output-part-mb", type=int, default=64,
                   help="size of the pieces the driver fetches the report in (default 64 MB)")
    p.add_argument("--master", default=None, help="Spark master when not given by spark-submit (e.g. local[2])")
    p.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE", help="extra Spark setting")
    args = p.parse_args(argv)
    if args.output_part_mb < 1:
        p.error("--output-part-mb must be at least 1")
    return args


JSONL_EXTENSIONS = ("jsonl", "ndjson", "json")


def is_jsonl(name):
    name = name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return "." in name and name.rsplit(".", 1)[1] in JSONL_EXTENSIONS


def list_inputs(sc, inputs):
    """The input files in `crosscheck run`'s reading order: arguments in order, folders
    searched recursively with entries sorted by name (bytes), hidden entries skipped.
    Returns (display name as `run` shows it, Hadoop path, length in bytes)."""
    jvm = sc._jvm
    conf = sc._jsc.hadoopConfiguration()
    found = []

    def walk(path, display):
        fs = path.getFileSystem(conf)
        status = fs.getFileStatus(path)
        if not status.isDirectory():
            found.append((display, path.toString(), status.getLen()))
            return
        children = [(c.getPath().getName(), c.getPath()) for c in fs.listStatus(path)]
        children.sort(key=lambda c: c[0].encode("utf-8"))
        for name, child in children:
            if name.startswith("."):
                continue
            walk(child, display.rstrip("/") + "/" + name)

    for arg in inputs:
        walk(jvm.org.apache.hadoop.fs.Path(arg), arg)
    return found


def resolve(name):
    """A file shipped with --files (found by its name), else the path as given."""
    from pyspark import SparkFiles

    try:
        shipped = SparkFiles.get(os.path.basename(name))
        if os.path.isfile(shipped):
            return shipped
    except Exception:
        pass
    return name


def pipe_through(argv, extra_env=None):
    """A mapPartitions function: feeds the partition's lines to the binary's stdin and
    yields its stdout lines; fails the task when the binary fails. Arguments given as
    ("file", name) are files shipped with --files, found on the executor."""

    def run(lines):
        args = [resolve(a[1]) if isinstance(a, tuple) else a for a in argv]
        if os.path.isfile(args[0]) and not os.access(args[0], os.X_OK):
            os.chmod(args[0], 0o755)
        env = dict(os.environ)
        env.update(extra_env or {})
        proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        errors = []

        def feed():
            try:
                for line in lines:
                    proc.stdin.write(line.encode("utf-8"))
                    proc.stdin.write(b"\n")
            except BrokenPipeError:
                pass
            except Exception as e:  # reported after the binary exits
                errors.append(e)
            finally:
                try:
                    proc.stdin.close()
                except BrokenPipeError:
                    pass

        stderr_tail = []

        def drain():
            for line in proc.stderr:
                stderr_tail.append(line.decode("utf-8", "replace"))
                del stderr_tail[:-50]

        threads = [threading.Thread(target=feed, daemon=True), threading.Thread(target=drain, daemon=True)]
        for t in threads:
            t.start()
        for line in proc.stdout:
            yield line.decode("utf-8").rstrip("\n")
        code = proc.wait()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]
        if code != 0:
            raise RuntimeError("%s exited with status %d:\n%s" % (" ".join(args), code, "".join(stderr_tail)))

    return run


def numbered(pair):
    line, index = pair
    return "%d\t%s" % (index + 1, line)


def main(argv):
    args = parse_args(argv)
    from pyspark import StorageLevel
    from pyspark.sql import SparkSession

    started = time.time()
    builder = SparkSession.builder.appName("crosscheck")
    if args.master:
        builder = builder.master(args.master)
        if args.master.startswith("local"):
            # Local workers run this interpreter (the one pyspark is installed in).
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    for kv in args.conf:
        k, _, v = kv.partition("=")
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    sc = spark.sparkContext

    files = list_inputs(sc, args.inputs)
    others = [d for d, _, _ in files if not is_jsonl(d)]
    if others:
        sys.exit("crosscheck_job.py: only JSON Lines inputs are read on Spark; convert or leave out: "
                 + ", ".join(others[:5]))

    common = []
    for a in args.aliases:
        common += ["--aliases", ("file", a)]
    map_argv = [("file", args.binary), "map", "--numbered", "--threads", str(args.map_threads)] + common
    if args.max_article_bytes is not None:
        map_argv += ["--max-article-bytes", str(args.max_article_bytes)]
    if args.max_claims_per_article is not None:
        map_argv += ["--max-claims-per-article", str(args.max_claims_per_article)]

    parts = []
    for file_id, (display, path, length) in enumerate(files):
        argv = map_argv + ["--file", display, "--file-id", str(file_id)]
        if length == 0:
            # The map of a whole, empty file writes the reject `run` writes for it.
            parts.append(sc.parallelize([], 1).mapPartitions(pipe_through(argv + ["--whole-file"])))
            continue
        lines = sc.textFile(path).zipWithIndex().map(numbered)
        parts.append(lines.mapPartitions(pipe_through(argv)))
    mapped = sc.union(parts) if parts else sc.parallelize([], 1)

    reduce_argv = [("file", args.binary), "reduce", "--threads", str(args.reduce_threads)] + common
    if args.min_confidence is not None:
        reduce_argv += ["--min-confidence", str(args.min_confidence)]
    if args.jsonl:
        reduce_argv.append("--jsonl")
    if args.excel:
        reduce_argv.append("--excel")

    # Shuffle by key; every record of a key reaches one reduce task, keys in sorted order.
    keyed = mapped.map(lambda line: tuple(line.split("\t", 1)))
    grouped = keyed.repartitionAndSortWithinPartitions(numPartitions=1, keyfunc=lambda k: k)
    reduced = grouped.map(lambda kv: kv[0] + "\t" + kv[1]).mapPartitions(pipe_through(reduce_argv))

    # The report reaches the driver in ordered pieces, never whole: each line is keyed by
    # (file, line number), kept on the executors' disks (so the reduce runs once), sorted
    # into ranges of about --output-part-mb, and fetched one range at a time.
    lines = reduced.map(file_line).persist(StorageLevel.DISK_ONLY)
    n_lines, n_bytes = lines.map(lambda kv: (1, len(kv[1].encode("utf-8")))).fold((0, 0), lambda a, b: (a[0] + b[0], a[1] + b[1]))
    parts = max(1, min(n_lines, -(-n_bytes // (args.output_part_mb << 20))))
    ordered = lines.sortByKey(numPartitions=parts)
    written = write_output(ordered.toLocalIterator(prefetchPartitions=False), args.out)
    lines.unpersist()
    spark.stop()
    print("crosscheck_job.py: %d input files, wrote %s (%d lines, %d bytes, %d pieces) into %s in %.1fs"
          % (len(files), ", ".join(written), n_lines, n_bytes, parts, args.out, time.time() - started),
          file=sys.stderr)


def file_line(line):
    """A reduce record `FILE<TAB>{"v":1,"type":"file_line",...}` as ((file, seq), text)."""
    name, _, payload = line.partition("\t")
    rec = json.loads(payload)
    if rec.get("v") != 1 or rec.get("type") != "file_line" or rec.get("name") != name:
        raise RuntimeError("unexpected reduce record: %r" % line[:200])
    if not name or "/" in name or name.startswith("."):
        raise RuntimeError("bad output file name %r" % name)
    return ((name, rec["seq"]), rec["text"])


def write_output(records, out):
    """Writes ((file, seq), text) records, sorted by file then seq, into `out`. One file is
    open at a time, under a hidden name; the files replace those in `out` only once all
    arrived whole, so a failed job leaves `out` as it was."""
    os.makedirs(out, exist_ok=True)

    def tmp(name):
        return os.path.join(out, "." + name + ".tmp")

    done = []
    handle = None
    expected = 0
    try:
        for (name, seq), text in records:
            if not done or name != done[-1]:
                if name in done:
                    raise RuntimeError("%s arrived in two pieces" % name)
                if handle is not None:
                    handle.close()
                done.append(name)
                expected = 0
                handle = open(tmp(name), "w", encoding="utf-8", newline="")
            if seq != expected:
                raise RuntimeError("%s: line %d arrived where line %d was expected" % (name, seq, expected))
            expected += 1
            handle.write(text)
        if handle is not None:
            handle.close()
            handle = None
    except BaseException:
        if handle is not None:
            handle.close()
        for name in done:
            try:
                os.remove(tmp(name))
            except OSError:
                pass
        raise
    for name in done:
        os.replace(tmp(name), os.path.join(out, name))
    return done


if __name__ == "__main__":
    main(sys.argv[1:])
