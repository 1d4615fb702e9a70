package dev.cutter.pkg.rpm;

/**
 * Tag numbers and value types of the RPM header format (rpm's {@code rpmtag.h}), for reading a
 * header with {@link RpmHeader}. Signature-header tags carry a {@code SIG_} prefix.
 */
public final class RpmTag {
    private RpmTag() {}

    // value types
    static final int NULL = 0;
    static final int CHAR = 1;
    static final int INT8 = 2;
    static final int INT16 = 3;
    static final int INT32 = 4;
    static final int INT64 = 5;
    static final int STRING = 6;
    static final int BIN = 7;
    static final int STRING_ARRAY = 8;
    static final int I18NSTRING = 9;

    // regions
    static final int HEADERSIGNATURES = 62;
    static final int HEADERIMMUTABLE = 63;
    static final int HEADERI18NTABLE = 100;

    // signature header
    public static final int SIG_SHA1 = 269;
    public static final int SIG_SHA256 = 273;
    public static final int SIG_DSA = 267;
    public static final int SIG_RSA = 268;
    public static final int SIG_LONGSIZE = 270;
    public static final int SIG_LONGARCHIVESIZE = 271;
    public static final int SIG_SIZE = 1000;
    public static final int SIG_MD5 = 1004;
    public static final int SIG_PAYLOADSIZE = 1007;

    // main header
    public static final int NAME = 1000;
    public static final int VERSION = 1001;
    public static final int RELEASE = 1002;
    public static final int EPOCH = 1003;
    public static final int SUMMARY = 1004;
    public static final int DESCRIPTION = 1005;
    public static final int BUILDTIME = 1006;
    public static final int BUILDHOST = 1007;
    public static final int SIZE = 1009;
    public static final int VENDOR = 1011;
    public static final int LICENSE = 1014;
    public static final int PACKAGER = 1015;
    public static final int GROUP = 1016;
    public static final int CHANGELOG = 1017;
    public static final int URL = 1020;
    public static final int OS = 1021;
    public static final int ARCH = 1022;
    public static final int PREIN = 1023;
    public static final int POSTIN = 1024;
    public static final int PREUN = 1025;
    public static final int POSTUN = 1026;
    public static final int FILESIZES = 1028;
    public static final int FILEMODES = 1030;
    public static final int FILERDEVS = 1033;
    public static final int FILEMTIMES = 1034;
    public static final int FILEDIGESTS = 1035;
    public static final int FILELINKTOS = 1036;
    public static final int FILEFLAGS = 1037;
    public static final int FILEUSERNAME = 1039;
    public static final int FILEGROUPNAME = 1040;
    public static final int SOURCERPM = 1044;
    public static final int FILEVERIFYFLAGS = 1045;
    public static final int ARCHIVESIZE = 1046;
    public static final int PROVIDENAME = 1047;
    public static final int REQUIREFLAGS = 1048;
    public static final int REQUIRENAME = 1049;
    public static final int REQUIREVERSION = 1050;
    public static final int CONFLICTFLAGS = 1053;
    public static final int CONFLICTNAME = 1054;
    public static final int CONFLICTVERSION = 1055;
    public static final int CHANGELOGTIME = 1080;
    public static final int CHANGELOGNAME = 1081;
    public static final int CHANGELOGTEXT = 1082;
    public static final int PREINPROG = 1085;
    public static final int POSTINPROG = 1086;
    public static final int PREUNPROG = 1087;
    public static final int POSTUNPROG = 1088;
    public static final int OBSOLETENAME = 1090;
    public static final int FILEDEVICES = 1095;
    public static final int FILEINODES = 1096;
    public static final int FILELANGS = 1097;
    public static final int PROVIDEFLAGS = 1112;
    public static final int PROVIDEVERSION = 1113;
    public static final int OBSOLETEFLAGS = 1114;
    public static final int OBSOLETEVERSION = 1115;
    public static final int DIRINDEXES = 1116;
    public static final int BASENAMES = 1117;
    public static final int DIRNAMES = 1118;
    public static final int PAYLOADFORMAT = 1124;
    public static final int PAYLOADCOMPRESSOR = 1125;
    public static final int PAYLOADFLAGS = 1126;
    public static final int FILEDIGESTALGO = 5011;
    public static final int LONGFILESIZES = 5008;
    public static final int LONGSIZE = 5009;
    public static final int RECOMMENDNAME = 5046;
    public static final int RECOMMENDVERSION = 5047;
    public static final int RECOMMENDFLAGS = 5048;
    public static final int SUGGESTNAME = 5049;
    public static final int SUGGESTVERSION = 5050;
    public static final int SUGGESTFLAGS = 5051;
    public static final int SUPPLEMENTNAME = 5052;
    public static final int SUPPLEMENTVERSION = 5053;
    public static final int SUPPLEMENTFLAGS = 5054;
    public static final int ENHANCENAME = 5055;
    public static final int ENHANCEVERSION = 5056;
    public static final int ENHANCEFLAGS = 5057;
    public static final int ENCODING = 5062;
    public static final int PAYLOADDIGEST = 5092;
    public static final int PAYLOADDIGESTALGO = 5093;
    public static final int PAYLOADDIGESTALT = 5097;

    // dependency flags (rpmds.h)
    public static final int SENSE_LESS = 1 << 1;
    public static final int SENSE_GREATER = 1 << 2;
    public static final int SENSE_EQUAL = 1 << 3;
    public static final int SENSE_PREREQ = 1 << 6;
    public static final int SENSE_INTERP = 1 << 8;
    public static final int SENSE_SCRIPT_PRE = 1 << 9;
    public static final int SENSE_SCRIPT_POST = 1 << 10;
    public static final int SENSE_SCRIPT_PREUN = 1 << 11;
    public static final int SENSE_SCRIPT_POSTUN = 1 << 12;
    public static final int SENSE_RPMLIB = 1 << 24;

    // file flags (rpmfiles.h)
    public static final int FILE_CONFIG = 1;
    public static final int FILE_DOC = 1 << 1;
    public static final int FILE_NOREPLACE = 1 << 4;
    public static final int FILE_GHOST = 1 << 6;

    /** PGPHASHALGO_SHA256, the value of FILEDIGESTALGO and PAYLOADDIGESTALGO. */
    static final int HASH_SHA256 = 8;
}
