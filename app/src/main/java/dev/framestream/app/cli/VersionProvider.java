package dev.framestream.app.cli;

import picocli.CommandLine;

/** Prints the version from the jar manifest and the JVM it runs on. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = FramestreamCommand.class.getPackage().getImplementationVersion();
        return new String[] {
                "framestream " + (version == null ? "(development build)" : version),
                "JVM: " + Runtime.version() + " " + System.getProperty("java.vm.name")
        };
    }
}
