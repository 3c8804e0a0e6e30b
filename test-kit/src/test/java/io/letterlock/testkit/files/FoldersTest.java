package io.letterlock.testkit.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class FoldersTest {

    @TempDir
    Path temp;

    @Test
    void deletesAFolderWithEverythingUnderIt() throws IOException {
        Path folder = temp.resolve("stores");
        Files.createDirectories(folder.resolve("a/b/c"));
        Files.writeString(folder.resolve("a/b/c/file"), "x");
        Files.writeString(folder.resolve("a/top"), "y");
        Path beside = Files.writeString(temp.resolve("beside"), "z");

        Folders.deleteRecursively(folder);

        assertThat(folder).doesNotExist();
        assertThat(beside).as("only what is under the folder").exists();
    }

    @Test
    void aFileOrNothingAtAll() throws IOException {
        Path file = Files.writeString(temp.resolve("file"), "x");
        Folders.deleteRecursively(file);
        assertThat(file).doesNotExist();

        Folders.deleteRecursively(temp.resolve("never-made"));
        assertThat(temp).exists();
    }
}
