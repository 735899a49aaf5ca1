/**
 * The stand-in's "cloud": every resource it created, by ARM id, in one JSON file. Tests read it
 * to see what a deployment created and edit it to change the cloud behind Pulumi's back (switch a
 * setting off in "the portal", delete a resource). Every change is read, made and written in one
 * synchronous step, so the provider's concurrent operations never interleave inside the file.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Bag } from "./arm";

/** The environment variable naming the cloud file. */
export const CLOUD_FILE_VARIABLE = "STEWARD_STANDIN_STATE";

export interface CloudResource {
  /** The azure-native type token it was created as. */
  type: string;
  /** Its outputs, as the provider reports them. */
  outputs: Bag;
}

export interface Cloud {
  version: 1;
  /** By ARM id, in creation order. */
  resources: Record<string, CloudResource>;
}

export function cloudFile(env: NodeJS.ProcessEnv = process.env): string {
  const file = env[CLOUD_FILE_VARIABLE];
  if (!file) throw new Error(`the azure-native stand-in keeps its resources in a JSON file: set ${CLOUD_FILE_VARIABLE} to its path`);
  return file;
}

export function readCloud(file: string): Cloud {
  if (!existsSync(file)) return { version: 1, resources: {} };
  const cloud = JSON.parse(readFileSync(file, "utf8")) as Cloud;
  if (cloud.version !== 1 || typeof cloud.resources !== "object" || cloud.resources === null) {
    throw new Error(`${file} is not a stand-in cloud file (version 1 with resources by id)`);
  }
  return cloud;
}

/** Writes the whole file at once (a rename), so a reader never sees half of it. */
export function writeCloud(file: string, cloud: Cloud): void {
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, `${JSON.stringify(cloud, null, 2)}\n`);
  renameSync(partial, file);
}

/** Reads the cloud, lets `change` edit it, writes it back; returns what `change` returns. */
export function updateCloud<T>(file: string, change: (cloud: Cloud) => T): T {
  const cloud = readCloud(file);
  const result = change(cloud);
  writeCloud(file, cloud);
  return result;
}
