# screening_body FILE: a complete, recent, eligible first-course screening request (POST /api/v1/screenings) into FILE.
# Sourced by the eligibility benchmarks.
screening_body() {
  local d sep flag m
  d=$(date -u -d '3 days ago' +%F 2>/dev/null || date -u -v-3d +%F)
  f() { printf '"%s":{"value":%s,"date":"%s"}' "$1" "$2" "$d"; }
  {
    printf '{"patientId":"bench-001","indication":"METASTATIC_MELANOMA","findings":{'
    sep=""
    for flag in severeHypersensitivityHistory organAllograft abnormalEjectionFraction impairedWallMotion \
        significantCoronaryArteryDisease significantRenalImpairment significantHepaticImpairment significantCnsImpairment \
        untreatedActiveBacterialInfection femaleOfReproductivePotential priorAldesleukinCourse; do
      printf '%s' "$sep"; f "$flag" false; sep=","
    done
    for m in fev1Litres:3.1 fev1PercentPredicted:92 ejectionFractionPercent:60 creatinineMgDl:0.9 bilirubinMgDl:0.6 \
        astUnitsPerLitre:22 altUnitsPerLitre:25 plateletsPerNanolitre:250 neutrophilsPerNanolitre:4.1; do
      printf ','; f "${m%%:*}" "${m#*:}"
    done
    printf '}}'
  } > "$1"
}
