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
#   file's extension and the JVM options that write and read it (aot_write_option, aot_read_option).
aot_kind() {
  if (($1 >= 25)); then echo aot; else echo jsa; fi
}
aot_write_option() {  # JAVA_MAJOR CACHE
  if (($1 >= 25)); then echo "-XX:AOTCacheOutput=$2"; else echo "-XX:ArchiveClassesAtExit=$2"; fi
}
aot_read_option() {  # JAVA_MAJOR CACHE
  if (($1 >= 25)); then echo "-XX:AOTCache=$2"; else echo "-XX:SharedArchiveFile=$2"; fi
}

# aot_decision MODE JAVA_MAJOR CACHE JARS_FOLDER
#   MODE is train (--aot-train), auto or off (LETTERLOCK_AOT); CACHE is this Java's kind of cache
#   (aot_kind). Prints one line:
#   "write" (a training run: the JVM writes CACHE when it stops), "use" (start with CACHE), or
#   "none" followed by why when there is a cache that is not used.
aot_decision() {
  local mode="$1" major="$2" cache="$3" jars="$4"
  case "$mode" in
    train) echo write; return ;;
    off) echo none; return ;;
  esac
  if [[ ! -f "$cache" ]]; then
    echo none
  elif ((major < 17)); then
    echo "none it needs Java 17 or newer; this is Java $major"
  elif [[ -n "$(find "$jars" -name '*.jar' -newer "$cache" -print -quit 2>/dev/null)" ]]; then
    echo "none it was made before the jars it belongs to were built; train again (bench/run aot-train)"
  else
    echo use
  fi
}
