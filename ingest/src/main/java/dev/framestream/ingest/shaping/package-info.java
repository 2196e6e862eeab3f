/** What a camera does between reading a frame and publishing it: pacing, the motion gate, crop, resize, pixel format. */
package dev.framestream.ingest.shaping;
