/// The usual French abbreviations a doctor types, derived from a product's diseases so
/// that they work for NUVA imports as well as for the built-in list.
enum Keywords {
    static func keywords(for product: VaccineProduct) -> [String] {
        let d = product.diseaseCodes
        var out: [String] = []
        let measles = Disease.measles.code, mumps = Disease.mumps.code, rubella = Disease.rubella.code
        if d.contains(measles) && d.contains(mumps) && d.contains(rubella) {
            out.append("ROR")
            if d.contains(Disease.varicella.code) { out.append("RORV") }
        }
        let dtp = [Disease.diphtheria, Disease.tetanus, Disease.polio].allSatisfy { d.contains($0.code) }
        if dtp {
            out.append("DTP")
            if d.contains(Disease.pertussis.code) { out.append("DTCaP") }
            if d.contains(Disease.hib.code) && d.contains(Disease.hepatitisB.code) && d.contains(Disease.pertussis.code) {
                out.append("hexavalent")
            } else if d.contains(Disease.hib.code) && d.contains(Disease.pertussis.code) {
                out.append("pentavalent")
            } else if d.contains(Disease.pertussis.code) {
                out.append("tétravalent")
            }
        }
        if d.contains(Disease.hpv.code) { out.append("HPV") }
        if d.contains(Disease.rsv.code) { out.append("VRS"); out.append("RSV") }
        if d.contains(Disease.hepatitisB.code) { out.append("VHB") }
        if d.contains(Disease.meningococcusB.code) { out.append("MenB") }
        if [Disease.meningococcusA, Disease.meningococcusC, Disease.meningococcusW, Disease.meningococcusY].allSatisfy({ d.contains($0.code) }) {
            out.append("MenACWY")
        }
        if d.contains(Disease.pneumococcus.code) { out.append("pneumococcique") }
        if d.contains(Disease.influenza.code) { out.append("grippe") }
        if d.contains(Disease.tuberculosis.code) { out.append("BCG") }
        if d.contains(Disease.hepatitisA.code) { out.append("VHA") }
        // Travel vaccines: the words a doctor types besides the disease's French label.
        if d.contains("DIS017") { out.append("amaril") }                       // fièvre jaune
        if d.contains("DIS027") { out.append("TBE"); out.append("FSME") }       // encéphalite à tiques
        if d.contains("DIS029") { out.append("monkeypox"); out.append("variole du singe") }
        return out
    }
}
