/// The rpm tags this writer and `RPMPackageReader` use (numbers from rpm's `rpmtag.h`).
enum RPMTag {
    static let headerSignatures: UInt32 = 62
    static let headerImmutable: UInt32 = 63
    static let headerI18NTable: UInt32 = 100

    static let name: UInt32 = 1000
    static let version: UInt32 = 1001
    static let release: UInt32 = 1002
    static let epoch: UInt32 = 1003
    static let summary: UInt32 = 1004
    static let description: UInt32 = 1005
    static let buildTime: UInt32 = 1006
    static let buildHost: UInt32 = 1007
    static let size: UInt32 = 1009
    static let vendor: UInt32 = 1011
    static let license: UInt32 = 1014
    static let packager: UInt32 = 1015
    static let group: UInt32 = 1016
    static let url: UInt32 = 1020
    static let os: UInt32 = 1021
    static let arch: UInt32 = 1022
    static let preIn: UInt32 = 1023
    static let postIn: UInt32 = 1024
    static let preUn: UInt32 = 1025
    static let postUn: UInt32 = 1026
    static let fileSizes: UInt32 = 1028
    static let fileModes: UInt32 = 1030
    static let fileRDevs: UInt32 = 1033
    static let fileMTimes: UInt32 = 1034
    static let fileDigests: UInt32 = 1035
    static let fileLinkTos: UInt32 = 1036
    static let fileFlags: UInt32 = 1037
    static let fileUserName: UInt32 = 1039
    static let fileGroupName: UInt32 = 1040
    static let sourceRPM: UInt32 = 1044
    static let fileVerifyFlags: UInt32 = 1045
    static let archiveSize: UInt32 = 1046
    static let provideName: UInt32 = 1047
    static let requireFlags: UInt32 = 1048
    static let requireName: UInt32 = 1049
    static let requireVersion: UInt32 = 1050
    static let conflictFlags: UInt32 = 1053
    static let conflictName: UInt32 = 1054
    static let conflictVersion: UInt32 = 1055
    static let rpmVersion: UInt32 = 1064
    static let changelogTime: UInt32 = 1080
    static let changelogName: UInt32 = 1081
    static let changelogText: UInt32 = 1082
    static let preInProg: UInt32 = 1085
    static let postInProg: UInt32 = 1086
    static let preUnProg: UInt32 = 1087
    static let postUnProg: UInt32 = 1088
    static let obsoleteName: UInt32 = 1090
    static let fileDevices: UInt32 = 1095
    static let fileInodes: UInt32 = 1096
    static let fileLangs: UInt32 = 1097
    static let provideFlags: UInt32 = 1112
    static let provideVersion: UInt32 = 1113
    static let obsoleteFlags: UInt32 = 1114
    static let obsoleteVersion: UInt32 = 1115
    static let dirIndexes: UInt32 = 1116
    static let baseNames: UInt32 = 1117
    static let dirNames: UInt32 = 1118
    static let preTrans: UInt32 = 1151
    static let postTrans: UInt32 = 1152
    static let preTransProg: UInt32 = 1153
    static let postTransProg: UInt32 = 1154
    static let payloadFormat: UInt32 = 1124
    static let payloadCompressor: UInt32 = 1125
    static let payloadFlags: UInt32 = 1126
    static let longFileSizes: UInt32 = 5008
    static let longSize: UInt32 = 5009
    static let fileDigestAlgo: UInt32 = 5011
    static let recommendName: UInt32 = 5046
    static let recommendVersion: UInt32 = 5047
    static let recommendFlags: UInt32 = 5048
    static let suggestName: UInt32 = 5049
    static let suggestVersion: UInt32 = 5050
    static let suggestFlags: UInt32 = 5051
    static let supplementName: UInt32 = 5052
    static let supplementVersion: UInt32 = 5053
    static let supplementFlags: UInt32 = 5054
    static let enhanceName: UInt32 = 5055
    static let enhanceVersion: UInt32 = 5056
    static let enhanceFlags: UInt32 = 5057
    static let encoding: UInt32 = 5062
    static let payloadDigest: UInt32 = 5092
    static let payloadDigestAlgo: UInt32 = 5093
}

/// Signature header tags.
enum RPMSignatureTag {
    static let sha1: UInt32 = 269
    static let longSize: UInt32 = 270
    static let longArchiveSize: UInt32 = 271
    static let sha256: UInt32 = 273
    static let size: UInt32 = 1000
    static let md5: UInt32 = 1004
    static let payloadSize: UInt32 = 1007
}

/// RPMSENSE_* and RPMFILE_* bits.
enum RPMFlags {
    static let less: UInt32 = 0x02
    static let greater: UInt32 = 0x04
    static let equal: UInt32 = 0x08
    static let postTrans: UInt32 = 0x20
    static let prereq: UInt32 = 0x40
    static let preTrans: UInt32 = 0x80
    static let interpreter: UInt32 = 0x100
    static let scriptPre: UInt32 = 0x200
    static let scriptPost: UInt32 = 0x400
    static let scriptPreUn: UInt32 = 0x800
    static let scriptPostUn: UInt32 = 0x1000
    /// Found by the dependency generator, not written by the packager.
    static let findRequires: UInt32 = 0x4000
    static let rpmlib: UInt32 = 0x1000000

    static let fileConfig: UInt32 = 1 << 0
    static let fileNoReplace: UInt32 = 1 << 4
    static let fileGhost: UInt32 = 1 << 6

    /// PGPHASHALGO_SHA256, for file and payload digests.
    static let sha256Algorithm: UInt32 = 8
}
