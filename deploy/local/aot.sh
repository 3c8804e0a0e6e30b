# shellcheck shell=bash
# Sourced by deploy/local/run: when a JVM it starts gets the class cache of a training run.
#
# On Java 25 or newer that is the AOT cache (JEP 483, JEP 515): the classes, loaded and linked, and
# the method profiles of the training run, so a just-started JVM spends its first minutes working
# rather than loading classes and compiling. On Java 17 to 24 it is a dynamic CDS archive
# (-XX:ArchiveClassesAtExit, JEP 350): the classes parsed and verified, no profiles, so it saves only
# the class loading. Either belongs to the exact jars and JVM it was made with. The JVM checks that
# itself and runs without a cache that does not match, so a stale one costs a warning, never a
# failure; here one is not even offered when a jar is newer than it (a rebuild since the training run).

# aot_kind JAVA_MAJOR -> "aot" (Java 25 or newer) or "jsa" (a CDS archive, Java 17 to 24): the cache
#   file's extension, and the key of everything else here that differs between the two.
aot_kind() {
  if (($1 >= 25)); then echo aot; else echo jsa; fi
}
# aot_option KIND write|read CACHE -> the JVM option that writes CACHE when the JVM stops, or starts
#   the JVM with it.
aot_option() {
  case "$1 $2" in
    "aot write") echo "-XX:AOTCacheOutput=$3" ;;
    "aot read") echo "-XX:AOTCache=$3" ;;
    "jsa write") echo "-XX:ArchiveClassesAtExit=$3" ;;
    "jsa read") echo "-XX:SharedArchiveFile=$3" ;;
    *) echo "aot_option: no option for '$1 $2'" >&2; return 1 ;;
  esac
}
aot_label() {  # KIND -> what the operator is told the cache is
  case "$1" in
    aot) echo "AOT cache" ;;
    *) echo "class-data archive" ;;
  esac
}

# aot_decision MODE CACHE JARS_FOLDER
#   MODE is train (--aot-train), auto or off (LETTERLOCK_AOT); CACHE is this Java's kind of cache
#   (aot_kind; run refuses Java older than 17 before it gets here). Prints one line:
#   "write" (a training run: the JVM writes CACHE when it stops), "use" (start with CACHE), or
#   "none" followed by why when there is a cache that is not used.
aot_decision() {
  local mode="$1" cache="$2" jars="$3"
  case "$mode" in
    train) echo write; return ;;
    off) echo none; return ;;
  esac
  if [[ ! -f "$cache" ]]; then
    echo none
  elif [[ -n "$(find "$jars" -name '*.jar' -newer "$cache" -print -quit 2>/dev/null)" ]]; then
    echo "none it was made before the jars it belongs to were built; train again (bench/run aot-train)"
  else
    echo use
  fi
}

# jit_choice JIT KIND DECISION -> "quick" (C1 alone) or "peak" (the JVM's tiered C1 + C2) for one JVM.
#   JIT is LETTERLOCK_JIT: quick or peak as asked, or auto: peak for a JVM that writes or reads a
#   JDK 25 AOT cache (KIND aot, DECISION write or use), quick for every other. Tiered compilation
#   costs a just-started JVM its C2 compiling, for code that runs at about twice C1's speed once it
#   is done; without profiles C2 was still at it after 35,000 messages, while with the training
#   run's profiles from the cache it compiles the hot code from the first messages, most of it
#   within the first 5,000 (measured through /v3/mail/send: README, Benchmarks). A training run
#   takes the same choice, so that the cache it writes carries the method profiles that only tiered
#   compilation collects. A CDS archive (Java 17 to 24) holds no profiles: quick.
jit_choice() {
  case "$1" in
    quick | peak) echo "$1" ;;
    auto)
      if [[ "$2" == aot && ("$3" == use || "$3" == write) ]]; then echo peak; else echo quick; fi ;;
    *) echo "jit_choice: no JIT '$1'" >&2; return 1 ;;
  esac
}
# jit_options CHOICE -> the JVM options of that choice, one a line (none for the JVM's own default)
jit_options() {
  case "$1" in
    quick) echo "-XX:TieredStopAtLevel=1" ;;
    peak) ;;
    *) echo "jit_options: no JIT '$1'" >&2; return 1 ;;
  esac
}
