// OWL checks of RegioGraph's ontology and dump, run by regiograph/rdf_tools.py with Java's single-file
// source launcher on the OWL API and HermiT jars of regiograph/owl_dist/pom.xml:
//
//   java -cp <owl_dist class path> regiograph/owl_dist/OwlCheck.java ontology.ttl [ontology+dump.nt]
//
// The second document holds the ontology and the dump together, so the parser sees the declarations
// while it reads the data (rg:derived read as a data property, not an annotation).
// Prints one line per finding and a summary line `OWLCHECK profile=<n> consistent=<true|false>
// unsatisfiable=<n>`; exits 0 when the ontology is in the OWL 2 DL profile and ontology plus dump are
// consistent with no unsatisfiable class, else 1.

import java.io.File;
import java.util.List;
import java.util.stream.Collectors;

import org.semanticweb.HermiT.Configuration;
import org.semanticweb.HermiT.Reasoner;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLClass;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class OwlCheck {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: OwlCheck ontology.ttl [data.ttl ...]");
            System.exit(2);
        }
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        List<OWLProfileViolation> violations = report.getViolations();
        for (OWLProfileViolation v : violations) {
            System.out.println("PROFILE " + v.getClass().getSimpleName() + ": " + v);
        }
        System.out.println("AXIOMS ontology=" + ontology.getAxiomCount());

        // Ontology plus dump (one document; a fresh manager, as it repeats the ontology's IRI), reasoned
        // over by HermiT; without a second document, the ontology alone.
        OWLOntology all = ontology;
        if (args.length > 1) {
            all = OWLManager.createOWLOntologyManager().loadOntologyFromOntologyDocument(new File(args[1]));
            System.out.println("AXIOMS " + args[1] + "=" + all.getAxiomCount());
        }
        Configuration config = new Configuration();
        config.ignoreUnsupportedDatatypes = true;
        Reasoner reasoner = new Reasoner(config, all);
        boolean consistent = reasoner.isConsistent();
        List<OWLClass> unsatisfiable = List.of();
        if (consistent) {
            unsatisfiable = reasoner.getUnsatisfiableClasses().entities()
                .filter(c -> !c.isOWLNothing())
                .collect(Collectors.toList());
            for (OWLClass c : unsatisfiable) {
                System.out.println("UNSATISFIABLE " + c.getIRI());
            }
        }
        reasoner.dispose();
        System.out.println("OWLCHECK profile=" + violations.size() + " consistent=" + consistent
            + " unsatisfiable=" + unsatisfiable.size());
        System.exit(violations.isEmpty() && consistent && unsatisfiable.isEmpty() ? 0 : 1);
    }
}
