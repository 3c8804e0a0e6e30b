# shellcheck shell=bash
# Sourced by deploy/local/run: when a JVM it starts gets JDK 25's AOT cache (JEP 483, JEP 515).
#
# A cache holds the classes, loaded and linked, and the method profiles of a training run, so a
# just-started JVM spends its first minutes working rather than loading classes and compiling. It
# belongs to the exact jars and JVM it was made with. The JVM checks that itself and runs without a
# cache that does not match, so a stale one costs a warning, never a failure; here one is not even
# offered when a jar is newer than it (a rebuild since the training run).

# aot_decision MODE JAVA_MAJOR CACHE JARS_FOLDER
#   MODE is train (--aot-train), auto or off (LETTERLOCK_AOT). Prints one line:
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
  elif ((major < 25)); then
    echo "none it needs Java 25 or newer; this is Java $major"
  elif [[ -n "$(find "$jars" -name '*.jar' -newer "$cache" -print -quit 2>/dev/null)" ]]; then
    echo "none it was made before the jars it belongs to were built; train again (bench/run aot-train)"
  else
    echo use
  fi
}
