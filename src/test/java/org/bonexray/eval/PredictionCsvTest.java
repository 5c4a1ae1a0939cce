package org.bonexray.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bonexray.data.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionCsvTest {

    private static DataException refused(Path dir, String content) throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, content);
        DataException e = assertThrows(DataException.class, () -> PredictionCsv.readStudies(file));
        assertEquals(file, e.path());
        return e;
    }

    @Test
    void refusesBadFilesNamingTheLine(@TempDir Path dir) throws Exception {
        assertTrue(refused(dir, "id,label\n").getMessage().contains("line 1"));
        String h = PredictionCsv.STUDY_HEADER + "\n";
        assertTrue(refused(dir, h + "s,XR_WRIST,1,0.5,1\n").getMessage().contains("line 2: expected 6 fields"));
        assertTrue(refused(dir, h + "s,XR_WRIST,1,0.5,1,1\ns,XR_KNEE,1,0.5,1,1\n").getMessage()
                .contains("line 3: unknown body part"));
        assertTrue(refused(dir, h + "s,XR_WRIST,2,0.5,1,1\n").getMessage().contains("label must be 0 or 1"));
        assertTrue(refused(dir, h + "s,XR_WRIST,1,NaN,1,1\n").getMessage().contains("probability"));
        assertTrue(refused(dir, h + "s,XR_WRIST,1,0.5,1,0\n").getMessage().contains("imageCount"));
    }

    @Test
    void splitsQuotedFields() {
        assertEquals(List.of("a,b", "c\"d", "", "e"), PredictionCsv.split("\"a,b\",\"c\"\"d\",,e"));
        assertEquals("\"c\"\"d\"", PredictionCsv.quote("c\"d"));
    }
}
