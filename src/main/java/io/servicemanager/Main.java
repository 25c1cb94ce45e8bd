package io.servicemanager;
public class Main { public static void main(String[] a) {} }
