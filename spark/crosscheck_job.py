#!/usr/bin/env python3
"""crosscheck on Apache Spark: the same report as `crosscheck run`, from JSON Lines on any
path Spark reads (local, hdfs:, s3a:, gs:, abfs:).

    map      every input line -> `crosscheck map` on the executors (per article: names,
             claims, story terms; the text stays behind)   -> KEY<TAB>summary
    shuffle  by KEY (record version 1: one key, "corpus")
    reduce   `crosscheck reduce` on one executor: the corpus-wide steps (name clustering,
             wire copies, stories, events, detection) and the report files, sent back as
             FILE<TAB>line records
    driver   writes the files into --out (a folder on the driver's machine)

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
    p.add_argument("--master", default=None, help="Spark master when not given by spark-submit (e.g. local[2])")
    p.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE", help="extra Spark setting")
    return p.parse_args(argv)


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

    # collect(), not toLocalIterator(): the driver holds the report files (not the corpus)
    # once, and a failed task always ends the job with its error.
    written = write_output(reduced.collect(), args.out)
    spark.stop()
    print("crosscheck_job.py: %d input files, wrote %s into %s in %.1fs"
          % (len(files), ", ".join(written), args.out, time.time() - started), file=sys.stderr)


def write_output(records, out):
    """Writes the reduce's FILE<TAB>line records into `out`, each file replaced whole."""
    os.makedirs(out, exist_ok=True)
    handles = {}
    expected = {}
    try:
        for line in records:
            name, _, payload = line.partition("\t")
            rec = json.loads(payload)
            if rec.get("v") != 1 or rec.get("type") != "file_line" or rec["name"] != name:
                raise RuntimeError("unexpected reduce record: %r" % line[:200])
            if "/" in name or name.startswith("."):
                raise RuntimeError("bad output file name %r" % name)
            if name not in handles:
                handles[name] = open(os.path.join(out, "." + name + ".tmp"), "w", encoding="utf-8", newline="")
                expected[name] = 0
            if rec["seq"] != expected[name]:
                raise RuntimeError("%s: line %d arrived out of order" % (name, rec["seq"]))
            expected[name] += 1
            handles[name].write(rec["text"])
    finally:
        for h in handles.values():
            h.close()
    for name in handles:
        os.replace(os.path.join(out, "." + name + ".tmp"), os.path.join(out, name))
    return sorted(handles)


if __name__ == "__main__":
    main(sys.argv[1:])
